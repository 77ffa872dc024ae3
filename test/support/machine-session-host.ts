/**
 * Plays the session host (runtime/session-host.ts) towards the relay, with the project's own
 * machines doing the deciding: one `memberLegMachine` actor per member and the `msrpSendMachine`,
 * wired the way `machines/session.ts` wires them. Their MSRP effects become `MediaSession` calls,
 * and the relay's `MediaEvents` become their events, so the relay is driven in exactly the order
 * the machines would drive it. SIP is not played: a member "accepts" when the test says so, and
 * BYEs complete at once.
 */
import { createActor, type ActorRefFrom } from 'xstate';
import type { CfEffect } from '../../machines/effects.ts';
import { memberLegMachine, type LegReport, type MemberLegOutput } from '../../machines/member-leg.ts';
import { msrpSendMachine, type SendReport } from '../../machines/msrp-send.ts';
import type { FocusMedia, LegIndex, MsrpMedia } from '../../machines/types.ts';
import type { MediaEvents, MediaRelay, MediaSession } from '../../runtime/media.ts';
import { newSessionId } from '../../runtime/msrp/uri.ts';

type LegActor = ActorRefFrom<typeof memberLegMachine>;

export interface HostOptions {
  /** Open question 9: how long members may drain after the sender's BYE. */
  drainMs?: number;
}

export class MachineSessionHost {
  readonly focus: FocusMedia;
  readonly media: MediaSession;
  /** REPORTs the machines asked for, in order. */
  readonly reports: { messageId: string; status: number; comment: string }[] = [];
  /** Every leg that has ended, with how. */
  readonly ended = new Map<LegIndex, MemberLegOutput>();
  /** Every MediaEvents call, in order, for assertions on what the relay told the host. */
  readonly calls: string[] = [];
  readonly #legs = new Map<LegIndex, LegActor>();
  readonly #accepted = new Set<LegIndex>();
  readonly #send = createActor(msrpSendMachine, { input: { recipients: [] } });
  readonly #timers = new Map<LegIndex, NodeJS.Timeout>();
  readonly #drainMs: number;
  #acknowledged = false;
  #ending = false;
  #released = false;

  constructor(relay: MediaRelay, options: HostOptions = {}) {
    this.#drainMs = options.drainMs ?? 30_000;
    this.focus = { authority: relay.authority, sessionId: newSessionId() };
    this.media = relay.openSession(this.focus, this.#events());
    this.#send.on('*', (effect) => this.#onSendEffect(effect as CfEffect | SendReport));
    this.#send.start();
  }

  get released(): boolean {
    return this.#released;
  }

  /** The CF's URI for a leg, as the originator or a member would learn it from SDP. */
  uriOf(leg: LegIndex | 'originator'): string {
    return `${this.focus.authority}/${this.focus.sessionId}-${leg === 'originator' ? 'o' : `m${leg}`};tcp`;
  }

  /** OK-2: the CF's answer to the originator, built from the first member's (open question 4). */
  answerOriginator(answer: MsrpMedia): void {
    this.media.expectOriginator(answer);
  }

  /** A member's 200 OK with its answer SDP: its leg is started and accepts at once. */
  memberAccepts(leg: LegIndex, answer: MsrpMedia): void {
    const actor = createActor(memberLegMachine, {
      input: {
        leg,
        member: { uri: `sip:member${leg}@cpm.example.net` },
        originator: 'sip:originator@cpm.example.net',
        groupUri: 'sip:group@cpm.example.net',
        offer: { ...answer, path: [this.uriOf(leg)], setup: 'actpass' },
        timers: { noAnswerMs: 60_000, cancelMs: 32_000, drainMs: this.#drainMs },
      },
    });
    actor.on('*', (effect) => this.#onLegEffect(leg, effect as CfEffect | LegReport));
    actor.subscribe({ complete: () => this.#onLegDone(leg, actor.getSnapshot().output as MemberLegOutput) });
    this.#legs.set(leg, actor);
    actor.start();
    actor.send({ type: 'MEMBER_ACCEPTED', answer });
  }

  /** ACK-1: the originator's ACK; every accepted member's MSRP is connected (open question 5). */
  originatorAcks(): void {
    this.#acknowledged = true;
    for (const leg of this.#accepted) this.#legs.get(leg)?.send({ type: 'CONNECT_MEDIA' });
  }

  /** BYE-1 … BYE-3: each leg ends as its state requires, then the session is released. */
  originatorByes(): void {
    this.#ending = true;
    for (const actor of this.#legs.values()) actor.send({ type: 'END_LEG' });
    this.#releaseIfDone();
  }

  /** Open question 10: a member leaves. */
  memberByes(leg: LegIndex): void {
    this.#legs.get(leg)?.send({ type: 'MEMBER_BYE' });
  }

  #events(): MediaEvents {
    return {
      onSend: (send) => {
        this.calls.push(`send ${send.messageId} ${send.flag}`);
        this.#send.send({ type: 'SEND', ...send });
      },
      onMemberConnected: (leg) => this.#toLeg(leg, 'connected', { type: 'MSRP_CONNECTED' }),
      onMemberFailed: (leg) => this.#toLeg(leg, 'failed', { type: 'MSRP_FAILED' }),
      onMemberCaughtUp: (leg) => this.#toLeg(leg, 'caughtUp', { type: 'CAUGHT_UP' }),
      onMemberDelivered: (leg, messageId) => {
        this.calls.push(`delivered ${leg} ${messageId}`);
        this.#send.send({ type: 'RECIPIENT_DELIVERED', leg, messageId });
      },
    };
  }

  #toLeg(leg: LegIndex, call: string, event: { type: 'MSRP_CONNECTED' | 'MSRP_FAILED' | 'CAUGHT_UP' }): void {
    this.calls.push(`${call} ${leg}`);
    this.#legs.get(leg)?.send(event);
  }

  #onLegEffect(leg: LegIndex, effect: CfEffect | LegReport): void {
    switch (effect.type) {
      case 'leg.accepted':
        this.#accepted.add(leg);
        this.#send.send({ type: 'RECIPIENT_JOINED', leg });
        // Open question 6: a member accepting after the ACK is connected at once.
        if (this.#acknowledged) this.#legs.get(leg)?.send({ type: 'CONNECT_MEDIA' });
        return;
      case 'msrp.connectMember':
        this.media.connectMember(leg, effect.answer);
        return;
      case 'msrp.awaitMember':
        this.media.awaitMember(leg, effect.answer);
        return;
      case 'msrp.relayToMember':
        this.media.relayToMember(leg);
        return;
      case 'msrp.abortDelivery':
        this.media.abortDelivery(leg);
        return;
      case 'msrp.closeMember':
        this.media.closeMember(leg);
        return;
      case 'member.bye':
        queueMicrotask(() => this.#legs.get(leg)?.send({ type: 'BYE_COMPLETED' }));
        return;
      case 'timer.start':
        if (effect.timer === 'drain') this.#timers.set(leg, setTimeout(() => this.#legs.get(leg)?.send({ type: 'TIMER_DRAIN' }), effect.ms));
        return;
      case 'timer.cancel':
        if (effect.timer === 'drain') clearTimeout(this.#timers.get(leg));
        return;
      default:
        return;
    }
  }

  #onSendEffect(effect: CfEffect | SendReport): void {
    if (effect.type === 'send.relayToEachMember') {
      for (const leg of this.#accepted) this.#legs.get(leg)?.send({ type: 'DATA_AVAILABLE' });
    } else if (effect.type === 'originator.report') {
      this.reports.push({ messageId: effect.messageId, status: effect.status, comment: effect.comment });
      this.media.report(effect.messageId, effect.status, effect.comment);
    }
  }

  /** `session.forgetEndedLeg`: a recipient that ends before it has the message has lost it (481). */
  #onLegDone(leg: LegIndex, output: MemberLegOutput): void {
    this.ended.set(leg, output);
    this.#legs.delete(leg);
    this.#accepted.delete(leg);
    if (output.wasAccepted) this.#send.send({ type: 'RECIPIENT_LOST', leg, status: 481 });
    this.#releaseIfDone();
  }

  #releaseIfDone(): void {
    if (!this.#ending || this.#released || this.#legs.size > 0) return;
    this.#released = true;
    this.#send.stop();
    this.media.release();
  }
}
