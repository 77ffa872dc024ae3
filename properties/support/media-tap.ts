/**
 * The CF's real MSRP relay with its contract with the session host (`runtime/media.ts`) observed.
 * The MSRP effects have no SIP form: the session performs them by calling its `MediaSession`
 * (`msrp.*`, `originator.report`, `originator.connectMsrp`), and learns what happened on the
 * connections from the relay's `MediaEvents` (SEND, MSRP_CONNECTED, MSRP_FAILED, CAUGHT_UP,
 * MEMBER_MESSAGE_DELIVERED). Each call through the tap is recorded, then passed on unchanged; the
 * bytes the relay moves for them are observed at the peers' sockets.
 */
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { FocusMedia, LegIndex } from '../../machines/types.ts';
import type { MediaEvents, MediaRelay, MediaSession } from '../../runtime/media.ts';
import type { MsrpRelay } from '../../runtime/msrp/relay/index.ts';
import type { TraceStep } from './trace.ts';

const memberEvent = (leg: LegIndex, type: Extract<MemberLegEvent, { type: 'MSRP_CONNECTED' | 'MSRP_FAILED' | 'CAUGHT_UP' }>['type']): TraceStep => ({
  event: { type: 'MEMBER', leg, event: { type } },
});

export class MediaTap implements MediaRelay {
  constructor(
    readonly relay: MsrpRelay,
    private readonly record: (step: TraceStep) => void,
  ) {}

  get authority(): string {
    return this.relay.authority;
  }

  get openSessions(): number {
    return this.relay.openSessions;
  }

  openSession(focus: FocusMedia, events: MediaEvents): MediaSession {
    // Recorded first: the step happens, then the side it goes to acts on it.
    const tap = <A extends unknown[]>(pass: (...args: A) => void, step: (...args: A) => TraceStep) => (...args: A): void => {
      this.record(step(...args));
      pass(...args);
    };
    const session = this.relay.openSession(focus, {
      onSend: tap(events.onSend.bind(events), (send) => ({ event: { type: 'SEND', ...send } })),
      onMemberConnected: tap(events.onMemberConnected.bind(events), (leg) => memberEvent(leg, 'MSRP_CONNECTED')),
      onMemberFailed: tap(events.onMemberFailed.bind(events), (leg) => memberEvent(leg, 'MSRP_FAILED')),
      onMemberCaughtUp: tap(events.onMemberCaughtUp.bind(events), (leg) => memberEvent(leg, 'CAUGHT_UP')),
      onMemberDelivered: tap(events.onMemberDelivered.bind(events), (leg, messageId) => ({ event: { type: 'MEMBER_MESSAGE_DELIVERED', leg, messageId } })),
    });
    return {
      expectOriginator: session.expectOriginator.bind(session),
      connectOriginator: tap(session.connectOriginator.bind(session), (_offer) => ({ effect: { type: 'originator.connectMsrp' } })),
      connectMember: tap(session.connectMember.bind(session), (leg, answer) => ({ effect: { type: 'msrp.connectMember', leg, answer } })),
      awaitMember: tap(session.awaitMember.bind(session), (leg, answer) => ({ effect: { type: 'msrp.awaitMember', leg, answer } })),
      relayToMember: tap(session.relayToMember.bind(session), (leg) => ({ effect: { type: 'msrp.relayToMember', leg } })),
      abortDelivery: tap(session.abortDelivery.bind(session), (leg) => ({ effect: { type: 'msrp.abortDelivery', leg } })),
      closeMember: tap(session.closeMember.bind(session), (leg) => ({ effect: { type: 'msrp.closeMember', leg } })),
      report: tap(session.report.bind(session), (messageId, status, comment) => ({ effect: { type: 'originator.report', messageId, status, comment } })),
      release: session.release.bind(session),
    };
  }

  close(): Promise<void> {
    return this.relay.close();
  }
}
