/**
 * One member's side of the B2BUA (INV-8, TS 9.1.2.X as docs/spec-findings.md reads it): the CF as
 * UAC of the member's INVITE and of the dialog it creates. It turns the leg's `member.*` effects into
 * requests and the member's answers into the leg's events (`MEMBER_*`).
 */
import { randomInt } from 'node:crypto';
import type { CfEffect } from '../../machines/effects.ts';
import { memberConnects } from '../../machines/media.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { LegIndex, MsrpMedia } from '../../machines/types.ts';
import { formatMsrpSdp, parseMsrpSdp } from '../sdp.ts';
import { createRequest } from '../sip/builders.ts';
import { cancelFor } from '../sip/derived-requests.ts';
import { Dialog, responseDialogKey } from '../sip/dialog.ts';
import { formatNameAddr, type NameAddr } from '../sip/headers/name-addr.ts';
import { formatSessionExpires, parseSessionExpires } from '../sip/headers/session-expires.ts';
import { header, getHeader, textBody, type SipHeader, type SipRequest, type SipResponse } from '../sip/message.ts';
import type { ClientTransactionHandlers, ServerTransaction } from '../sip/transaction-layer.ts';
import { cseqOf } from '../sip/transaction-keys.ts';
import type { Outgoing } from '../sip/transport.ts';
import type { Destination } from '../sip/transport-types.ts';
import { parseUri, sipUri, type Uri } from '../sip/uri.ts';
import { OkRetransmission } from './ok-retransmission.ts';
import { LARGE_MESSAGE_FEATURE, type Signalling } from './signalling.ts';
import { endStrayDialog } from './stray-dialog.ts';

type MemberInvite = Extract<CfEffect, { type: 'member.invite' }>;

/** Open question 13 / RFC 3323 §4.1.1.3: the From of an anonymous originator. */
const ANONYMOUS: NameAddr = { displayName: 'Anonymous', uri: sipUri({ user: 'anonymous', host: 'anonymous.invalid' }), params: [] };
const SDP = 'application/sdp';

/** What a member leg needs from its session, for leg `leg`. */
export interface MemberLegHost {
  /** Delivers an event to the leg's machine (through the session). */
  emitToLeg(leg: LegIndex, event: MemberLegEvent): void;
  /** Whether the leg's machine still runs: a 2xx for a leg that ended is a stray one (RFC 3261 §13.2.2.4). */
  isLegLive(leg: LegIndex): boolean;
  /** The member's dialog exists: in-dialog requests from the member will be routed to this leg. */
  legDialogCreated(leg: LegIndex, dialog: Dialog): void;
  /** Contribution-ID and Conversation-ID of the originator's INVITE, copied into each member's. */
  readonly conversationHeaders: readonly SipHeader[];
}

/**
 * A leg lives as long as its session, so it keeps what its dialog needs, not messages: the INVITE
 * only until its final response (a CANCEL and the dialog are built from it), the ACK as the bytes
 * sent (issue 7's heap snapshot found both kept as parsed messages, ~3 KB a leg). It is its
 * INVITE transaction's handlers itself, by methods: that transaction lingers 64*T1 after the 2xx
 * (RFC 6026 "Accepted"), and closures kept that long cost ~1 KB a leg.
 */
export class MemberLeg implements ClientTransactionHandlers {
  private invite: SipRequest | undefined;
  /** RFC 3261 §13.2.2.4: the ACK of the 2xx carries the INVITE's CSeq number. */
  private inviteSeq = 1;
  private destination: Destination | undefined;
  private offer: MsrpMedia | undefined;
  private answer: MsrpMedia | null = null;
  private provisional = false;
  private final = false;
  private cancelWanted = false;
  private cancelSent = false;
  private dialog: Dialog | undefined;
  private ackSent: Outgoing | undefined;
  private pendingBye: ServerTransaction | undefined;
  /** 2xx retransmissions of the member's re-INVITEs, by CSeq number; made on the first one. */
  private retransmissions: Map<number, OkRetransmission> | undefined;
  /** RFC 4566 §5.2 sess-id of this leg's descriptions. */
  private readonly sdpSessionId = String(randomInt(1, 2 ** 47));

  constructor(
    private readonly signalling: Signalling,
    readonly leg: LegIndex,
    private readonly host: MemberLegHost,
  ) {}

  /**
   * INV-10: the INVITE towards the member — Request-URI and To the member; From the originator or
   * anonymous (open question 13); Accept-Contact and Contact with the Large Message Mode feature tag;
   * the group as the CF's asserted identity; the originator's Contribution-ID / Conversation-ID; the
   * offer with the CF's own path for this leg.
   */
  sendInvite(effect: MemberInvite): void {
    const target = parseUri(effect.member.uri);
    if (!target.ok) {
      this.signalling.logger.warn({ leg: this.leg, member: effect.member.uri }, 'member URI unusable');
      queueMicrotask(() => this.emit({ type: 'MEMBER_UNREACHABLE' }));
      return;
    }
    const plan = this.signalling.plan(target.value, []);
    this.offer = effect.offer;
    this.signalling
      .destination(plan.hop, 'udp')
      .then((destination) => {
        // The session ended the leg while the route was being looked up: the INVITE never left.
        if (this.cancelWanted) {
          this.emit({ type: 'MEMBER_REJECTED', status: 487 });
          return;
        }
        this.destination = destination;
        this.invite = this.buildInvite(effect, target.value, plan.preloaded, destination);
        this.inviteSeq = cseqOf(this.invite).seq;
        this.signalling.layer.sendRequest(this.invite, destination, this);
      })
      .catch((error: unknown) => {
        this.signalling.logger.warn({ leg: this.leg, err: error }, 'no route to the member');
        this.emit({ type: 'MEMBER_UNREACHABLE' });
      });
  }

  /** RFC 3261 §13.2.2.4: the ACK of the member's 2xx, in its dialog, with the INVITE's CSeq number. */
  sendAck(): void {
    const dialog = this.dialog;
    if (dialog === undefined) return;
    this.inDialogDestination(dialog).then(({ destination, preloaded }) => {
      const ack = dialog.request('ACK', { via: this.signalling.via(destination.protocol), cseq: this.inviteSeq, contact: this.signalling.contact(true), headers: preloaded });
      this.ackSent = this.signalling.layer.sendAck(ack, destination);
    }, (error: unknown) => this.signalling.logger.warn({ leg: this.leg, err: error }, 'ACK to the member has no route'));
  }

  /**
   * BYE-2 for a pending INVITE (RFC 3261 §9.1). "If no provisional response has been received, the
   * CANCEL request MUST NOT be sent; rather, the client MUST wait for the arrival of a provisional
   * response before sending the request."
   */
  sendCancel(): void {
    this.cancelWanted = true;
    if (this.provisional) this.cancelNow();
  }

  /** BYE-2 for a confirmed dialog (RFC 3261 §15.1.1); its end, however it comes, is BYE_COMPLETED. */
  sendBye(): void {
    const dialog = this.dialog;
    if (dialog === undefined) {
      queueMicrotask(() => this.emit({ type: 'BYE_COMPLETED' }));
      return;
    }
    this.stopRetransmissions();
    const completed = () => this.emit({ type: 'BYE_COMPLETED' });
    this.inDialogDestination(dialog).then(({ destination, preloaded }) => {
      const bye = dialog.request('BYE', { via: this.signalling.via(destination.protocol), headers: [...preloaded, header('User-Agent', this.signalling.identity.server)] });
      this.signalling.layer.sendRequest(bye, destination, {
        // RFC 3261 §15.1.1: whatever the final answer (even 481 or 408), the session is over.
        onResponse: (response) => {
          if (response.status >= 200) completed();
        },
        onTimeout: completed,
        onTransportError: completed,
      });
    }, completed);
  }

  receiveBye(bye: ServerTransaction): void {
    this.dialog?.acceptRemoteSeq(cseqOf(bye.request).seq);
    this.pendingBye = bye;
  }

  /** Open question 10: the member's BYE is answered 200 (RFC 3261 §15.1.2). */
  answerBye(): void {
    this.pendingBye?.respond(this.signalling.response(this.pendingBye.request, 200));
    this.stopRetransmissions();
  }

  /**
   * Open question 12: a member that wants a session timer refreshes it itself, and the CF answers
   * 200 (RFC 4028 §9), echoing its Session-Expires; a re-INVITE gets the leg's SDP again.
   */
  answerRefresh(refresh: ServerTransaction): void {
    const request = refresh.request;
    if (this.dialog !== undefined && !this.dialog.acceptRemoteSeq(cseqOf(request).seq)) {
      refresh.respond(this.signalling.response(request, 500, { headers: [header('Retry-After', '1')] }));
      return;
    }
    this.dialog?.refreshTarget(request);
    const headers: SipHeader[] = [header('Contact', formatNameAddr(this.signalling.contact(true))), header('Supported', 'timer')];
    const requested = parseSessionExpires(getHeader(request, 'session-expires') ?? '');
    if (requested.ok) {
      const refresher = requested.value.refresher ?? 'uac';
      headers.push(header('Session-Expires', formatSessionExpires({ deltaSeconds: requested.value.deltaSeconds, refresher, params: [] })));
      if (refresher === 'uac') headers.push(header('Require', 'timer'));
    }
    const isInvite = request.method === 'INVITE';
    const body = (isInvite || request.body.length > 0) && this.offer !== undefined ? this.currentDescription(this.offer) : undefined;
    if (body !== undefined) headers.push(header('Content-Type', SDP));
    const ok = this.signalling.response(request, 200, { headers, ...(body === undefined ? {} : { body }) });
    refresh.respond(ok);
    if (!isInvite) return;
    const retransmission = new OkRetransmission(() => refresh.respond(ok), this.signalling.t1, this.signalling.t2);
    (this.retransmissions ??= new Map()).set(cseqOf(request).seq, retransmission);
    retransmission.start();
  }

  /** The ACK of a 2xx the CF sent in this dialog (a re-INVITE's): its retransmission stops. */
  receiveAck(ack: SipRequest): void {
    const seq = cseqOf(ack).seq;
    this.retransmissions?.get(seq)?.stop();
    this.retransmissions?.delete(seq);
  }

  stopRetransmissions(): void {
    for (const retransmission of this.retransmissions?.values() ?? []) retransmission.stop();
    this.retransmissions = undefined;
  }

  private buildInvite(effect: MemberInvite, target: Uri, preloaded: SipHeader[], destination: Destination): SipRequest {
    const originator = effect.originator === null ? undefined : parseUri(effect.originator);
    const from: NameAddr = originator?.ok === true ? { displayName: null, uri: originator.value, params: [] } : ANONYMOUS;
    const headers: SipHeader[] = [
      ...preloaded,
      header('Accept-Contact', `*;${LARGE_MESSAGE_FEATURE.name}=${LARGE_MESSAGE_FEATURE.value}`),
      // Open question 13: the group is the identity the CF asserts, never the originator's.
      header('P-Asserted-Identity', `<${effect.groupUri}>`),
      // RFC 3892 §3: the CF invites on the originator's behalf; an anonymous one is not named.
      ...(originator?.ok === true ? [header('Referred-By', `<${effect.originator}>`)] : []),
      ...this.host.conversationHeaders,
      header('User-Agent', this.signalling.identity.server),
      header('Allow', this.signalling.identity.allow.join(', ')),
      header('Supported', 'timer'),
    ];
    return createRequest({
      method: 'INVITE',
      uri: target,
      from,
      to: { displayName: effect.member.displayName ?? null, uri: target, params: [] },
      cseq: 1,
      via: this.signalling.via(destination.protocol),
      contact: this.signalling.contact(true),
      headers,
      body: this.currentDescription(effect.offer),
      contentType: SDP,
    });
  }

  /** A response to the member's INVITE. */
  onResponse(response: SipResponse): void {
    if (response.status < 200) {
      this.provisional = true;
      if (this.cancelWanted) this.cancelNow();
      // RFC 3261 §8.1.3.2: 100 (Trying) is hop-by-hop; only the member's own 1xx tells the leg anything.
      if (response.status > 100) this.emit({ type: 'MEMBER_PROVISIONAL' });
      return;
    }
    if (response.status >= 300) {
      this.finalArrived();
      this.emit({ type: 'MEMBER_REJECTED', status: response.status });
      return;
    }
    this.onSuccess(response);
  }

  private onSuccess(response: SipResponse): void {
    // RFC 3261 §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx": a retransmission
    // gets the same ACK again; a 2xx of another fork, or one for a leg already ended, gets its own
    // ACK and a BYE.
    if (this.dialog !== undefined && responseDialogKey(response) === this.dialog.key) {
      if (this.ackSent !== undefined) this.signalling.layer.sendAckAgain(this.ackSent);
      return;
    }
    const invite = this.invite;
    const dialog = invite === undefined ? undefined : Dialog.asUac(invite, response);
    if (dialog === undefined || this.dialog !== undefined || !this.host.isLegLive(this.leg)) {
      endStrayDialog(this.signalling, response, invite, this.destination?.protocol ?? 'udp');
      return;
    }
    this.finalArrived();
    this.dialog = dialog;
    this.host.legDialogCreated(this.leg, dialog);
    const sdp = response.body.length > 0 ? parseMsrpSdp(response.body) : undefined;
    this.answer = sdp?.ok === true ? sdp.media : null;
    this.emit({ type: 'MEMBER_ACCEPTED', answer: this.answer });
  }

  /** The INVITE has its final answer: no CANCEL can follow, and the dialog, if any, is built. */
  private finalArrived(): void {
    this.final = true;
    this.invite = undefined;
  }

  private emit(event: MemberLegEvent): void {
    this.host.emitToLeg(this.leg, event);
  }

  private cancelNow(): void {
    if (this.cancelSent || this.final || this.invite === undefined || this.destination === undefined) return;
    this.cancelSent = true;
    this.signalling.layer.sendRequest(cancelFor(this.invite), this.destination, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }

  /** The member's INVITE timed out (Timer B). */
  onTimeout(): void {
    this.failed('timeout');
  }

  onTransportError(): void {
    this.failed('transport error');
  }

  /**
   * The INVITE transaction is over. RFC 6026 §8.4: 2xx retransmissions, which get the ACK again,
   * come only while it is "Accepted"; later ones are stray responses.
   */
  onTerminated(): void {
    this.ackSent = undefined;
  }

  private failed(why: string): void {
    this.finalArrived();
    this.signalling.logger.debug({ leg: this.leg, why }, 'member INVITE failed');
    this.emit({ type: 'MEMBER_UNREACHABLE' });
  }

  private async inDialogDestination(dialog: Dialog): Promise<{ destination: Destination; preloaded: SipHeader[] }> {
    const plan = this.signalling.plan(dialog.remoteTarget, dialog.routeSet);
    const destination = await this.signalling.destination(plan.hop, this.destination?.protocol ?? 'udp');
    return { destination, preloaded: plan.preloaded };
  }

  // The leg's description: the offer as first sent, or, answering a member's re-INVITE, the same
  // media with the setup role the member's answer left the CF in (RFC 6135 §4).
  private currentDescription(offer: MsrpMedia): Buffer {
    const setup = this.answer === null ? offer.setup : memberConnects(this.answer) ? 'passive' : 'active';
    return textBody(formatMsrpSdp({ ...offer, setup }, { sessionId: this.sdpSessionId, version: 1 }));
  }
}
