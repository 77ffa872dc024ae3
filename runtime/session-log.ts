/**
 * A session's steps in the log, named by the requirement they realise (READING.md IDs): each effect
 * that is a step of the CR is one structured `info` line; the rest (timers, per-chunk relaying) go
 * to `debug`, so that the info log grows with sessions, not with messages.
 */
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

export function logEffect(logger: Logger, effect: CfEffect): void {
  const requirement = effect.type === 'originator.reject' ? (effect.requirement ?? undefined) : STEPS[effect.type];
  if (effect.type === 'originator.reject') {
    logger.info({ requirement, status: effect.rejection.status, warning: effect.rejection.warning }, 'originator rejected');
  } else if (effect.type === 'originator.sendBye') {
    // The CF ending the originator's dialog itself (expiry, no ACK, last member gone) is no step of the CR, but a session's end.
    logger.info({ step: effect.type, reason: effect.reason }, effect.type);
  } else if (requirement !== undefined) {
    logger.info({ requirement, step: effect.type, ...('leg' in effect ? { leg: effect.leg } : {}) }, effect.type);
  } else if (logger.isLevelEnabled('debug')) {
    logger.debug({ step: effect.type, effect }, effect.type);
  }
}
