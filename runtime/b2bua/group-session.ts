/**
 * One group session on the wire: the session actor of `machines/session.ts` with every effect it
 * and its children emit performed — on the originator's leg, on one member leg per member, on the
 * XCAP client, the MSRP relay and the session's timers — and every answer of the world delivered
 * back to it as a `SessionEvent`.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CfEffect, TimerName } from '../../machines/effects.ts';
import { createSessionActor, type SessionActor } from '../../machines/effect-outlet.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { CfPolicy, FocusMedia, InviteSummary, LegIndex } from '../../machines/types.ts';
import type { MediaEvents, MediaRelay, MediaSession } from '../media.ts';
import { detached } from '../detached-string.ts';
import { SessionLog } from '../session-log.ts';
import type { Dialog } from '../sip/dialog.ts';
import { newTag } from '../sip/ids.ts';
import type { SipHeader, SipRequest } from '../sip/message.ts';
import type { ServerTransaction } from '../sip/transaction-layer.ts';
import { SessionTimers, type TimerScheduler } from '../timers.ts';
import type { GroupFetchResult, GroupSource } from '../xdm/xcap-client.ts';
import { MemberLeg, type MemberLegHost } from './member-leg.ts';
import { OriginatorLeg } from './originator-leg.ts';
import type { Signalling } from './signalling.ts';

/** Which side of a session a dialog belongs to. */
export type LegRef = 'originator' | LegIndex;

/** What a session needs of the host that routes requests to it. */
export interface SessionRegistry {
  dialogCreated(session: GroupSession, leg: LegRef, dialog: Dialog): void;
  released(session: GroupSession): void;
}

export interface SessionDependencies {
  readonly signalling: Signalling;
  readonly policy: CfPolicy;
  readonly xdms: GroupSource;
  readonly relay: MediaRelay;
  readonly scheduler: TimerScheduler;
  readonly registry: SessionRegistry;
  readonly logger: Logger;
  /** Retry-After of the 503 a session gets when it is dropped before it could answer. */
  readonly retryAfterSeconds: number;
}

/** Leg timers and the ACK wait: what a shutdown fires at once instead of waiting for (the session timers are left to end with the dialog). */
const HURRIED: ReadonlySet<TimerName> = new Set(['noAnswer', 'cancel', 'drain', 'ack']);

/**
 * It is its legs' host and its media session's listener itself, by methods that name the leg,
 * rather than through closures made per leg and per session.
 */
export class GroupSession implements MemberLegHost, MediaEvents {
  readonly id = newTag();
  readonly dialogKeys: string[] = [];
  private readonly actor: SessionActor;
  private readonly originator: OriginatorLeg;
  private readonly legs = new Map<LegIndex, MemberLeg>();
  private readonly timers: SessionTimers;
  private readonly log: Logger;
  private readonly sessionLog: SessionLog;
  private readonly focus: FocusMedia;
  private media: MediaSession | null = null;
  /** The group fetch in flight: a session released before the XDMS answers (CANCEL, SHUTDOWN) abandons it. */
  private groupFetch: AbortController | null = null;
  private ended = false;
  private pendingInvite: ServerTransaction | undefined;
  private readonly summary: InviteSummary;
  readonly conversationHeaders: readonly SipHeader[];

  /**
   * A session is held for as long as its dialog lasts, so it keeps nothing that pins the INVITE's
   * text: the summary's strings and the conversation headers are copied out of it (see `detached`),
   * and the INVITE's transaction is let go once its 200 OK is sent.
   */
  constructor(
    private readonly deps: SessionDependencies,
    invite: ServerTransaction,
    summary: InviteSummary,
    conversationHeaders: readonly SipHeader[],
  ) {
    this.pendingInvite = invite;
    this.summary = detachedSummary(summary);
    this.conversationHeaders = conversationHeaders.map(detachedHeader);
    this.log = deps.logger.child({ session: this.id, group: this.summary.groupUri });
    this.sessionLog = new SessionLog(this.log, this.summary.authenticatedOriginator);
    this.originator = new OriginatorLeg(deps.signalling, invite);
    this.timers = new SessionTimers(deps.scheduler, (timer, leg) => this.send({ type: 'TIMER', timer, leg }));
    // RFC 4975 §14.1: the session-id of an MSRP URI must be unguessable; 120 bits from the CSPRNG.
    this.focus = { authority: deps.relay.authority, sessionId: randomBytes(15).toString('base64url') };
    this.actor = createSessionActor({ policy: deps.policy, focus: this.focus }, (effect) => this.perform(effect));
    this.actor.subscribe({
      error: (error) => {
        this.log.error({ err: error }, 'session machine failed; releasing the session');
        this.forceRelease();
      },
    });
  }

  /** The originator's INVITE transaction until its 200 OK (a CANCEL can reach it till then, RFC 3261 §9.2). */
  get invite(): ServerTransaction | undefined {
    return this.pendingInvite;
  }

  /** INV-1 …: the initial INVITE enters the machines. */
  start(): void {
    this.actor.start();
    this.send({ type: 'INVITE', invite: this.summary });
  }

  /** RFC 3261 §9.2: the originator's CANCEL matched the INVITE before its final response. */
  cancel(): void {
    this.send({ type: 'CANCEL' });
  }

  ack(leg: LegRef, ack: SipRequest): void {
    if (leg !== 'originator') this.legs.get(leg)?.receiveAck(ack);
    else if (this.originator.receiveAck(ack)) this.send({ type: 'ACK' });
  }

  /** BYE-1; a BYE the machine has no step for (the CF is already ending the dialog) is still answered (RFC 3261 §15.1.2). */
  bye(leg: LegRef, bye: ServerTransaction): void {
    if (leg === 'originator') {
      this.originator.receiveBye(bye);
      this.send({ type: 'BYE' });
    } else {
      this.legs.get(leg)?.receiveBye(bye);
      this.send({ type: 'MEMBER', leg, event: { type: 'MEMBER_BYE' } });
    }
    if (!bye.answered) bye.respond(this.deps.signalling.response(bye.request, 200));
  }

  /**
   * A re-INVITE or UPDATE. The originator's refreshes the session (INV-6, RFC 4028 §7); one the
   * machine does not take (the session is ending) finds no dialog any more: 481. A member's is
   * answered by its leg (open question 12).
   */
  refresh(leg: LegRef, refresh: ServerTransaction): void {
    if (leg !== 'originator') this.legs.get(leg)?.answerRefresh(refresh);
    else if (this.originator.receiveRefresh(refresh)) this.send({ type: 'REFRESH' });
    if (!refresh.answered) refresh.respond(this.deps.signalling.response(refresh.request, 481));
  }

  /**
   * The CF is stopping: the machines end the session — 503 and CANCELs before the originator's
   * dialog, BYE to the originator and BYE-2 to every member within it.
   */
  shutdown(): void {
    this.send({ type: 'SHUTDOWN' });
  }

  /** Fires the leg timers now, for a shutdown that cannot wait for 487s, drains or ACKs. */
  hurry(): void {
    for (const { timer, leg } of this.timers.armed()) {
      if (!HURRIED.has(timer)) continue;
      this.timers.cancel(timer, leg);
      this.send({ type: 'TIMER', timer, leg });
    }
  }

  /** Releases everything at once, whatever the machine's state (a shutdown deadline, a machine fault). */
  forceRelease(): void {
    if (this.ended) return;
    if (!this.originator.answered) this.originator.reject({ status: 503, reason: 'Service Unavailable', retryAfter: this.deps.retryAfterSeconds });
    this.release();
    this.actor.stop();
  }

  private send(event: SessionEvent): void {
    if (!this.ended) this.actor.send(event);
  }

  emitToLeg(leg: LegIndex, event: MemberLegEvent): void {
    this.send({ type: 'MEMBER', leg, event });
  }

  isLegLive(leg: LegIndex): boolean {
    return !this.ended && `leg.${leg}` in this.actor.getSnapshot().children;
  }

  legDialogCreated(leg: LegIndex, dialog: Dialog): void {
    this.deps.registry.dialogCreated(this, leg, dialog);
  }

  onSend(send: Parameters<MediaEvents['onSend']>[0]): void {
    this.send({ type: 'SEND', ...send });
  }

  onMemberConnected(leg: LegIndex): void {
    this.emitToLeg(leg, { type: 'MSRP_CONNECTED' });
  }

  onMemberFailed(leg: LegIndex): void {
    this.emitToLeg(leg, { type: 'MSRP_FAILED' });
  }

  onMemberCaughtUp(leg: LegIndex): void {
    this.emitToLeg(leg, { type: 'CAUGHT_UP' });
  }

  onMemberDelivered(leg: LegIndex, messageId: string): void {
    this.send({ type: 'MEMBER_MESSAGE_DELIVERED', leg, messageId });
  }

  private perform(effect: CfEffect): void {
    this.sessionLog.effect(effect);
    try {
      this.dispatch(effect);
    } catch (error) {
      this.log.error({ err: error, effect: effect.type }, 'effect failed');
    }
  }

  private dispatch(effect: CfEffect): void {
    switch (effect.type) {
      case 'xdm.fetchGroupDocument':
        this.groupFetch = new AbortController();
        this.deps.xdms.fetchGroup(effect.groupUri, this.groupFetch.signal).then(
          (result) => {
            this.groupFetch = null;
            this.send(groupDocumentEvent(result));
          },
          (error: unknown) => {
            this.groupFetch = null;
            if (this.ended) return;
            this.log.error({ err: error }, 'XCAP client failed');
            this.send({ type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 500, retryAfter: null });
          },
        );
        return;
      case 'focus.open':
        this.media = this.deps.relay.openSession(this.focus, this);
        return;
      case 'originator.reject':
        this.originator.reject(effect.rejection);
        return;
      case 'originator.accept': {
        const dialog = this.originator.accept(effect.response);
        if (dialog !== undefined) {
          this.deps.registry.dialogCreated(this, 'originator', dialog);
          this.pendingInvite = undefined;
        }
        this.media?.expectOriginator(effect.response.answer);
        return;
      }
      case 'originator.answerBye':
        this.originator.answerBye();
        return;
      case 'originator.sendBye':
        this.originator.sendBye(effect.reason);
        return;
      case 'originator.answerRefresh':
        this.originator.answerRefresh(effect.sessionTimer);
        return;
      case 'originator.sendRefresh':
        this.originator.sendRefresh(() => this.send({ type: 'REFRESH_FAILED' }));
        return;
      case 'originator.report':
        this.media?.report(effect.messageId, effect.status, effect.comment);
        return;
      case 'originator.connectMsrp':
        if (this.summary.offer !== null) this.media?.connectOriginator(this.summary.offer);
        return;
      case 'member.invite':
        this.memberLeg(effect.leg).sendInvite(effect);
        return;
      case 'member.ack':
        this.legs.get(effect.leg)?.sendAck();
        return;
      case 'member.cancel':
        this.legs.get(effect.leg)?.sendCancel();
        return;
      case 'member.bye':
        this.legs.get(effect.leg)?.sendBye();
        return;
      case 'member.answerBye':
        this.legs.get(effect.leg)?.answerBye();
        return;
      case 'msrp.connectMember':
        this.media?.connectMember(effect.leg, effect.answer);
        return;
      case 'msrp.awaitMember':
        this.media?.awaitMember(effect.leg, effect.answer);
        return;
      case 'msrp.relayToMember':
        this.media?.relayToMember(effect.leg);
        return;
      case 'msrp.abortDelivery':
        this.media?.abortDelivery(effect.leg);
        return;
      case 'msrp.closeMember':
        this.media?.closeMember(effect.leg);
        return;
      case 'timer.start':
        this.timers.start(effect.timer, effect.leg, effect.ms);
        return;
      case 'timer.cancel':
        this.timers.cancel(effect.timer, effect.leg);
        return;
      case 'session.release':
        this.release();
    }
  }

  private memberLeg(leg: LegIndex): MemberLeg {
    const created = new MemberLeg(this.deps.signalling, leg, this);
    this.legs.set(leg, created);
    return created;
  }

  /** BYE-3: the session's timers, retransmissions and media are gone, and the host forgets it. */
  private release(): void {
    if (this.ended) return;
    this.ended = true;
    this.timers.clear();
    this.groupFetch?.abort();
    this.originator.stopRetransmissions();
    for (const leg of this.legs.values()) leg.stopRetransmissions();
    this.media?.release();
    this.media = null;
    this.deps.registry.released(this);
    this.sessionLog.released();
  }
}

/** `summary` with its strings detached from the INVITE they were read from (the offer's already are, see `parseMsrpSdp`). */
function detachedSummary(summary: InviteSummary): InviteSummary {
  return {
    ...summary,
    groupUri: detached(summary.groupUri),
    authenticatedOriginator: summary.authenticatedOriginator === null ? null : detached(summary.authenticatedOriginator),
    userAgent: summary.userAgent === null ? null : detached(summary.userAgent),
  };
}

function detachedHeader(value: SipHeader): SipHeader {
  return { name: detached(value.name), key: detached(value.key), value: detached(value.value) };
}

function groupDocumentEvent(result: GroupFetchResult): SessionEvent {
  switch (result.kind) {
    case 'found':
      return { type: 'GROUP_DOCUMENT_FOUND', group: result.group };
    case 'not-found':
      return { type: 'GROUP_DOCUMENT_NOT_FOUND' };
    default:
      return { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: result.sipStatus, retryAfter: result.retryAfter ?? null };
  }
}
