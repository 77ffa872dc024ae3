/**
 * The contract between the session host (SIP side, `runtime/session-host.ts`) and the MSRP relay
 * (`runtime/msrp/relay/`): the MSRP effects of the machines (`msrp.*`, `originator.connectMsrp`,
 * `originator.report`, `focus.open`, `session.release`) become calls on a `MediaSession`; what
 * happens on the MSRP connections comes back through `MediaEvents` and becomes session events.
 */
import type { ReportRequest } from '../machines/msrp-send.ts';
import type { FocusMedia, LegIndex, MsrpMedia } from '../machines/types.ts';

/** What the relay tells one session; each call becomes one event of the session actor. */
export interface MediaEvents {
  /** SEND-1: a chunk of the originator's message is spooled (and answered 200 hop by hop). */
  onSend(send: { messageId: string; flag: '$' | '+' | '#'; successReport: boolean; failureReport: ReportRequest }): void;
  /** ACK-1: the member's MSRP connection is up (the CF connected, or the member did). */
  onMemberConnected(leg: LegIndex): void;
  /** The member's connection failed or was lost, or it refused a chunk: the leg is dropped. */
  onMemberFailed(leg: LegIndex): void;
  /** The member has acknowledged every byte spooled so far. */
  onMemberCaughtUp(leg: LegIndex): void;
  /** The member has acknowledged every chunk of this message, the last one included. */
  onMemberDelivered(leg: LegIndex, messageId: string): void;
}

export interface MediaSession {
  /** The originator's answer as the CF sent it (OK-2): its max-size and accept-types bound what the originator may send. */
  expectOriginator(answer: MsrpMedia): void;
  /** RFC 6135: the originator offered `passive`; the CF connects to its path. */
  connectOriginator(offer: MsrpMedia): void;
  /** ACK-1: connect to the member per its answer's a=path (RFC 4975 §8.1). */
  connectMember(leg: LegIndex, answer: MsrpMedia): void;
  /** ACK-1 with RFC 6135 `a=setup:active`: the member connects to the CF's path for this leg. */
  awaitMember(leg: LegIndex, answer: MsrpMedia): void;
  /** SEND-1: keep sending the spool to the member from where it stands; `onMemberCaughtUp` when done. */
  relayToMember(leg: LegIndex): void;
  /** End the chunk in flight with `#` (RFC 4975 §7.1) and stop sending to the member. */
  abortDelivery(leg: LegIndex): void;
  /** Close the member's connection and forget its leg. */
  closeMember(leg: LegIndex): void;
  /** Open question 11: the end-to-end REPORT for a message. */
  report(messageId: string, status: number, comment: string): void;
  /** BYE-3: close every connection of the session, remove its spool, forget its session-id. */
  release(): void;
}

export interface MediaRelay {
  /** `msrp://host:port` of the one listener every session shares. */
  readonly authority: string;
  /** `focus.open`: register a session under `focus.sessionId` (the To-Path finds it). */
  openSession(focus: FocusMedia, events: MediaEvents): MediaSession;
  /** Sessions open now (for metrics and the leak checks of the tests). */
  readonly openSessions: number;
  close(): Promise<void>;
}
