/**
 * The originator's side of the B2BUA: the CF as UAS of the initial INVITE and of the dialog it
 * creates. It turns the machines' `originator.*` effects into responses and requests — every
 * rejection of INV-1 … INV-6 and Q7/Q8, the 200 OK of OK-1 … OK-7, BYE-1, the session refreshes of
 * INV-6 (RFC 4028) — and keeps the dialog (RFC 3261 §12.1.1) and the 2xx retransmissions (§13.3.1.4).
 */
import { randomInt } from 'node:crypto';
import type { FocusAnswer, Rejection } from '../../machines/effects.ts';
import type { SessionTimer } from '../../machines/types.ts';
import { formatMsrpSdp } from '../sdp.ts';
import { Dialog } from '../sip/dialog.ts';
import { formatNameAddr } from '../sip/headers/name-addr.ts';
import { formatSessionExpires } from '../sip/headers/session-expires.ts';
import { formatWarning } from '../sip/headers/warning.ts';
import { newTag } from '../sip/ids.ts';
import { header, textBody, type SipHeader, type SipRequest, type SipResponse } from '../sip/message.ts';
import type { ServerTransaction } from '../sip/transaction-layer.ts';
import { cseqOf } from '../sip/transaction-keys.ts';
import type { MessageSource } from '../sip/transport-types.ts';
import { OkRetransmission } from './ok-retransmission.ts';
import type { Signalling } from './signalling.ts';

const SDP = 'application/sdp';

/**
 * A leg lives as long as its session, so it keeps the INVITE's server transaction (and with it the
 * INVITE as parsed, whose every header is a slice of the whole received text) only until its final
 * response: then the dialog and the 2xx retransmission have what they need, and the leg keeps the
 * INVITE's CSeq number and source only.
 */
export class OriginatorLeg {
  /** The initial INVITE's transaction, until its final response is passed down. */
  private invite: ServerTransaction | undefined;
  /** Where the INVITE came from: the dialog's requests go back over its transport (§18.1.1). */
  private readonly source: MessageSource;
  /** RFC 3261 §17.1.1.3: the ACK of the 2xx carries the INVITE's CSeq number. */
  private readonly inviteSeq: number;
  private dialogState: Dialog | undefined;
  private answerBody: Buffer | undefined;
  private sessionTimer: SessionTimer | null = null;
  private readonly retransmissions = new Map<number, OkRetransmission>();
  private pendingBye: ServerTransaction | undefined;
  private pendingRefresh: ServerTransaction | undefined;
  private acknowledged = false;

  constructor(
    private readonly signalling: Signalling,
    invite: ServerTransaction,
  ) {
    this.invite = invite;
    this.source = invite.source;
    this.inviteSeq = cseqOf(invite.request).seq;
  }

  /** The INVITE has its final response (or can no longer have one: the leg let it go). */
  get answered(): boolean {
    return this.invite?.answered ?? true;
  }

  /**
   * A final non-2xx answer exactly as the machine names it: Warning `399 <CF hostport> "text"`
   * (RFC 3261 §20.43), Error-Info `<uri>` (§20.18), Min-SE (RFC 4028 §5), Retry-After (§20.33).
   */
  reject(rejection: Rejection): void {
    const invite = this.invite;
    if (invite === undefined) return;
    const headers: SipHeader[] = [];
    if (rejection.warning !== undefined) headers.push(header('Warning', formatWarning([{ code: 399, agent: this.signalling.identity.warnAgent, text: rejection.warning }])));
    if (rejection.errorInfo !== undefined) headers.push(header('Error-Info', `<${rejection.errorInfo}>`));
    if (rejection.minSe !== undefined) headers.push(header('Min-SE', String(rejection.minSe)));
    if (rejection.retryAfter !== undefined) headers.push(header('Retry-After', String(rejection.retryAfter)));
    invite.respond(this.signalling.response(invite.request, rejection.status, { reason: rejection.reason, headers }));
    this.releaseInvite();
  }

  /**
   * OK-1 … OK-7: the 200 OK with the anchored SDP answer, Server, Allow, `Contact: <focus>;isfocus`
   * and the settled session timer; the dialog is created as RFC 3261 §12.1.1 says, and the 2xx is
   * retransmitted until the ACK (§13.3.1.4). Returns the new dialog.
   */
  accept(answer: FocusAnswer): Dialog | undefined {
    const invite = this.invite;
    if (invite === undefined) return undefined;
    const request = invite.request;
    const localTag = newTag();
    this.sessionTimer = answer.sessionTimer;
    this.answerBody = textBody(formatMsrpSdp(answer.answer, { sessionId: String(randomInt(1, 2 ** 47)), version: 1 }));
    const headers: SipHeader[] = [
      // RFC 3261 §12.1.1: "the UAS MUST copy all Record-Route header field values from the request into the response".
      ...request.headers.filter((h) => h.key === 'record-route'),
      header('Contact', `<${answer.contact.uri}>${answer.contact.isfocus ? ';isfocus' : ''}`),
      header('Allow', answer.allow.join(', ')),
      header('Supported', 'timer'),
      ...this.timerHeaders(answer.sessionTimer, answer.requireTimer),
      header('Content-Type', SDP),
    ];
    const ok = this.signalling.response(request, 200, { toTag: localTag, headers, body: this.answerBody }, answer.server);
    invite.respond(ok);
    this.retransmitUntilAck(this.inviteSeq, invite, ok);
    this.dialogState = Dialog.asUas(request, localTag);
    this.releaseInvite();
    return this.dialogState;
  }

  /**
   * Lets the INVITE's transaction go once it is answered: the transaction layer keeps it while
   * it lingers, and the 2xx retransmission until the ACK, but nothing of the leg's does.
   */
  private releaseInvite(): void {
    if (this.invite?.answered === true) this.invite = undefined;
  }

  /** An ACK of this dialog: stops the 2xx retransmission it acknowledges; true for the first ACK of the initial INVITE (ACK-1). */
  receiveAck(ack: SipRequest): boolean {
    const seq = cseqOf(ack).seq;
    this.retransmissions.get(seq)?.stop();
    this.retransmissions.delete(seq);
    if (this.acknowledged || seq !== this.inviteSeq) return false;
    this.acknowledged = true;
    return true;
  }

  receiveBye(bye: ServerTransaction): void {
    this.dialogState?.acceptRemoteSeq(cseqOf(bye.request).seq);
    this.pendingBye = bye;
  }

  /** BYE-1: "SHALL respond to the BYE request" (RFC 3261 §15.1.2: 200). */
  answerBye(): void {
    this.pendingBye?.respond(this.signalling.response(this.pendingBye.request, 200));
    this.stopRetransmissions();
  }

  /**
   * A re-INVITE or UPDATE in the dialog (RFC 4028 §7). False when it was already refused: no
   * dialog yet (481), out of order (RFC 3261 §12.2.2: 500) or overlapping a refresh still
   * unanswered (§14.2: 491).
   */
  receiveRefresh(refresh: ServerTransaction): boolean {
    const dialog = this.dialogState;
    if (dialog === undefined) {
      refresh.respond(this.signalling.response(refresh.request, 481));
      return false;
    }
    if (!dialog.acceptRemoteSeq(cseqOf(refresh.request).seq)) {
      refresh.respond(this.signalling.response(refresh.request, 500, { headers: [header('Retry-After', '1')] }));
      return false;
    }
    if (this.pendingRefresh !== undefined && !this.pendingRefresh.answered) {
      refresh.respond(this.signalling.response(refresh.request, 491));
      return false;
    }
    dialog.refreshTarget(refresh.request);
    this.pendingRefresh = refresh;
    return true;
  }

  /**
   * RFC 4028 §9 for a refresh: 200 with the session timer (and `Require: timer` when the originator
   * refreshes); a re-INVITE gets the session's SDP again and its 2xx is retransmitted until ACKed.
   */
  answerRefresh(timer: SessionTimer | null): void {
    const refresh = this.pendingRefresh;
    if (refresh === undefined || refresh.answered) return;
    const isInvite = refresh.request.method === 'INVITE';
    const withSdp = isInvite || refresh.request.body.length > 0;
    const headers: SipHeader[] = [
      header('Contact', formatNameAddr(this.signalling.contact(false))),
      header('Allow', this.signalling.identity.allow.join(', ')),
      header('Supported', 'timer'),
      ...this.timerHeaders(timer, timer?.refresher === 'uac'),
    ];
    if (withSdp && this.answerBody !== undefined) headers.push(header('Content-Type', SDP));
    const ok = this.signalling.response(refresh.request, 200, { headers, ...(withSdp && this.answerBody !== undefined ? { body: this.answerBody } : {}) });
    refresh.respond(ok);
    // Answered, the refresh is no longer the leg's to keep (its request would stay alive with it).
    this.pendingRefresh = undefined;
    if (isInvite) this.retransmitUntilAck(cseqOf(refresh.request).seq, refresh, ok);
  }

  /** The CF ends the dialog (RFC 3261 §15.1.1): session expiry, no ACK, the last member gone. */
  sendBye(reason: string): void {
    this.stopRetransmissions();
    this.sendInDialog('BYE', [], () => undefined);
    this.signalling.logger.debug({ reason }, 'BYE to the originator');
  }

  /** RFC 4028 §10, the CF as refresher: an UPDATE; a 408, a 481 or no answer means the session is gone. */
  sendRefresh(onFailure: () => void): void {
    const timer = this.sessionTimer;
    const headers = [header('Supported', 'timer'), ...(timer === null ? [] : [header('Session-Expires', formatSessionExpires({ deltaSeconds: timer.interval, refresher: 'uas', params: [] }))])];
    this.sendInDialog('UPDATE', headers, (failed) => {
      if (failed) onFailure();
    });
  }

  stopRetransmissions(): void {
    for (const retransmission of this.retransmissions.values()) retransmission.stop();
    this.retransmissions.clear();
  }

  private sendInDialog(method: string, headers: SipHeader[], done: (failed: boolean) => void): void {
    const dialog = this.dialogState;
    if (dialog === undefined) return;
    const plan = this.signalling.plan(dialog.remoteTarget, dialog.routeSet);
    const source = this.source;
    // The dialog's transport is the one its INVITE came over, on the same connection when it is
    // still open (RFC 3261 §18.1.1 lets a UA reuse it), unless the remote target names another.
    this.signalling
      .destination(plan.hop, source.protocol, source.connectionId)
      .then((destination) => {
        const request = dialog.request(method, { via: this.signalling.via(destination.protocol), contact: this.signalling.contact(false), headers: [...plan.preloaded, ...headers] });
        this.signalling.layer.sendRequest(request, destination, {
          onResponse: (response) => {
            if (response.status >= 200) done(response.status === 408 || response.status === 481);
          },
          onTimeout: () => done(true),
          onTransportError: () => done(true),
        });
      })
      .catch((error: unknown) => {
        this.signalling.logger.warn({ err: error, method }, 'no route to the originator');
        done(true);
      });
  }

  private timerHeaders(timer: SessionTimer | null, requireTimer: boolean): SipHeader[] {
    if (timer === null) return [];
    const headers = [header('Session-Expires', formatSessionExpires({ deltaSeconds: timer.interval, refresher: timer.refresher, params: [] }))];
    // RFC 4028 §9: "If the refresher ... has a value of 'uac', the UAS MUST place a Require header field into the response with the value 'timer'."
    if (requireTimer) headers.push(header('Require', 'timer'));
    return headers;
  }

  private retransmitUntilAck(seq: number, transaction: ServerTransaction, ok: SipResponse): void {
    const retransmission = new OkRetransmission(() => transaction.respond(ok), this.signalling.t1, this.signalling.t2);
    this.retransmissions.get(seq)?.stop();
    this.retransmissions.set(seq, retransmission);
    retransmission.start();
  }
}
