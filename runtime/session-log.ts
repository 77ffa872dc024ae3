/**
 * A session in the log: one structured `info` line when it ends, summing up its steps of the CR,
 * so that the info log grows with sessions, not with messages or members (issue 7: a line per step
 * was ~36 lines and ~200 KB of garbage per 10-member session). At `debug`, every effect is a line
 * of its own, named by the requirement it realises (READING.md IDs) when it is a step of the CR.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { CfEffect } from '../machines/effects.ts';
import type { RequirementId } from '../machines/requirements.ts';

const STEPS: Partial<Record<CfEffect['type'], RequirementId>> = {
  // Open question 1: one fetch serves INV-1's rules, INV-2, INV-5 and INV-9.
  'xdm.fetchGroupDocument': 'INV-1',
  'focus.open': 'INV-7',
  'member.invite': 'INV-10',
  'originator.accept': 'OK-1',
  'originator.connectMsrp': 'ACK-1',
  'msrp.connectMember': 'ACK-1',
  'msrp.awaitMember': 'ACK-1',
  'originator.answerBye': 'BYE-1',
  'member.cancel': 'BYE-2',
  'member.bye': 'BYE-2',
  'session.release': 'BYE-3',
};

/** The requirement an effect realises: a rejection names its own; the other steps are fixed. */
function requirementOf(effect: CfEffect): RequirementId | undefined {
  return effect.type === 'originator.reject' ? (effect.requirement ?? undefined) : STEPS[effect.type];
}

export class SessionLog {
  private readonly startedAt = performance.now();
  /** The final answer to the originator's INVITE, and why when it was no 200. */
  private answer: { status: number; warning?: string; requirement?: RequirementId } | undefined;
  private membersInvited = 0;
  /** Members whose MSRP the CF connected or awaited after the ACK (ACK-1). */
  private membersJoined = 0;
  /** Who ended the originator's dialog: its BYE (BYE-1), or the CF and why. */
  private ending: string | undefined;

  constructor(
    private readonly logger: Logger,
    /** The authenticated originator; null when none could be established (INV-1 rejects it). */
    private readonly originator: string | null,
  ) {}

  /** Notes what `effect` tells of the session, and writes it at `debug`. */
  effect(effect: CfEffect): void {
    switch (effect.type) {
      case 'originator.reject':
        this.answer = {
          status: effect.rejection.status,
          ...(effect.rejection.warning === undefined ? {} : { warning: effect.rejection.warning }),
          ...(effect.requirement === null ? {} : { requirement: effect.requirement }),
        };
        break;
      case 'originator.accept':
        this.answer = { status: 200 };
        break;
      case 'member.invite':
        this.membersInvited++;
        break;
      case 'msrp.connectMember':
      case 'msrp.awaitMember':
        this.membersJoined++;
        break;
      case 'originator.answerBye':
        this.ending = 'originator BYE';
        break;
      case 'originator.sendBye':
        this.ending = `CF BYE: ${effect.reason}`;
        break;
    }
    if (this.logger.isLevelEnabled('debug')) {
      const requirement = requirementOf(effect);
      this.logger.debug({ step: effect.type, ...(requirement === undefined ? {} : { requirement }), effect }, effect.type);
    }
  }

  /** BYE-3: the session's one `info` line. */
  released(): void {
    this.logger.info(
      {
        requirement: 'BYE-3',
        originator: this.originator,
        answer: this.answer ?? null,
        members: { invited: this.membersInvited, joined: this.membersJoined },
        ...(this.ending === undefined ? {} : { ending: this.ending }),
        durationMs: Math.round(performance.now() - this.startedAt),
      },
      'session ended',
    );
  }
}
