/**
 * The originator and every member on the SIP wire, played on one UDP socket that is also the CF's
 * outbound proxy: the originator's requests leave from it, and the CF's requests towards the
 * originator and the members arrive at it (RFC 3261 §8.1.2). The CF takes one socket's datagrams
 * in order, so it takes this side's messages in the order they were written, and one OPTIONS
 * answered proves all of them handled.
 *
 * The world's SIP actions are written here; what the CF sends back is read into the effects the
 * machines name. What a SIP stack does by itself is done at once, never left to the world: 100 to
 * an INVITE (RFC 3261 §17.2.1, which is also what lets the CF cancel it, §9.1), 200 to a CANCEL
 * (§9.2) and to the CF's BYE towards the originator (§15.1.2), the ACK of a non-2xx (§17.1.1.3),
 * and the same answer again to a retransmitted request.
 */
import type { CfEffect } from '../../machines/effects.ts';
import { membersToInvite } from '../../machines/members.ts';
import type { GroupDocument } from '../../machines/group.ts';
import type { InviteSummary, LegIndex, MsrpMedia } from '../../machines/types.ts';
import { createResponse } from '../../runtime/sip/builders.ts';
import { getHeader, type SipRequest, type SipResponse } from '../../runtime/sip/message.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { branchOf, memberBye, memberResponse, originatorInDialog, originatorInvite, uriOf } from '../../test/support/wire-messages.ts';
import { callId, rawRequest, WirePeer, type Received } from '../../test/support/wire-peer.ts';
import { finalResponseEffect, legOfMember, memberInviteEffect, msrpMediaOf, sessionTimerOf } from './wire-effects.ts';

interface MemberCall {
  readonly leg: LegIndex;
  readonly invite: SipRequest;
  /** The CF's BYE, until the world answers it. */
  bye: SipRequest | undefined;
}

export class SipSide {
  readonly #peer: WirePeer;
  readonly #record: (effect: CfEffect) => void;
  readonly #callId = callId();
  #cfPort = 0;
  #invite: InviteSummary | undefined;
  #cseq = 1;
  /** The CF's final responses to the INVITE, by status and To tag (a retransmission is the same one). */
  readonly #finals = new Set<string>();
  #ok: Received | undefined;
  /** The CF's refresh (RFC 4028 §10), until the world answers it. */
  #refresh: SipRequest | undefined;
  /** The addresses the CF invites, leg by leg (`membersToInvite`). */
  #members: string[] = [];
  readonly #calls = new Map<string, MemberCall>();
  /** Requests seen, by branch and method; with the response they got, for a retransmission. */
  readonly #requests = new Map<string, string | undefined>();
  /** Messages sent since the CF last proved it handled them. */
  #unconfirmed = false;

  private constructor(peer: WirePeer, record: (effect: CfEffect) => void) {
    this.#peer = peer;
    this.#record = record;
    peer.onReceive((received) => this.#receive(received));
  }

  static async open(record: (effect: CfEffect) => void): Promise<SipSide> {
    return new SipSide(await WirePeer.open('udp', 0), record);
  }

  /** The outbound proxy the CF is configured with: this side's socket. */
  get proxyUri(): string {
    return `sip:${this.#peer.sentBy}`;
  }

  /** The CF's SIP port, once it is listening. */
  attach(cfPort: number): void {
    this.#cfPort = cfPort;
  }

  /** The CF has given the originator its final response. */
  get answered(): boolean {
    return this.#finals.size > 0;
  }

  /** INVITEs the CF has sent members. */
  get invites(): number {
    return this.#calls.size;
  }

  /** The CF's MSRP answer in its 200 OK: where the originator's SENDs go (OK-2). */
  get focusAnswer(): MsrpMedia | undefined {
    return this.#ok?.message === undefined ? undefined : msrpMediaOf(this.#ok.message.body);
  }

  /** The CF's offer to member `leg`: the path the member's MSRP reaches the CF on. */
  memberOffer(leg: LegIndex): MsrpMedia {
    return msrpMediaOf(this.#call(leg).invite.body);
  }

  /** INV-9: the document the XDMS served tells which member each leg is. */
  learnGroup(group: GroupDocument): void {
    this.#members = membersToInvite(group, this.#invite?.authenticatedOriginator ?? null).map((m) => m.uri);
  }

  invite(invite: InviteSummary): void {
    this.#invite = invite;
    this.#send(originatorInvite(invite, this.#peer, this.#callId, `contribution-${this.#callId}`));
  }

  /** RFC 3261 §9.1; true when the CF matched it to the INVITE (200). */
  async cancel(): Promise<boolean> {
    this.#send(rawRequest({ method: 'CANCEL', uri: this.#invite?.groupUri ?? '', peer: this.#peer, callId: this.#callId }));
    return (await this.#answer(this.#callId, 1, 'CANCEL')) === 200;
  }

  ack(): void {
    this.#send(originatorInDialog('ACK', 1, this.#ok, this.#peer, this.#callId));
  }

  /** BYE (BYE-1) or UPDATE (a refresh, RFC 4028 §7) in the originator's dialog; true when the CF took it (200). */
  async inDialog(method: 'BYE' | 'UPDATE'): Promise<boolean> {
    const cseq = ++this.#cseq;
    this.#send(originatorInDialog(method, cseq, this.#ok, this.#peer, this.#callId));
    return (await this.#answer(this.#callId, cseq, method)) === 200;
  }

  /**
   * The CF's refresh goes unanswered: its transaction times out, which RFC 3261 §8.1.3.1 treats as
   * a 408 — written here as that 408, since the timeout itself is 64*T1 of real time.
   */
  refreshUnanswered(): boolean {
    const refresh = this.#refresh;
    if (refresh === undefined) return false;
    this.#refresh = undefined;
    this.#respond(refresh, createResponse(refresh, 408));
    return true;
  }

  /** Member `leg` answers the CF's INVITE: 180, or a final response with its MSRP answer. */
  answerInvite(leg: LegIndex, status: number, answer: MsrpMedia | null): void {
    const { invite } = this.#call(leg);
    this.#respond(invite, memberResponse(invite, leg, status, answer, this.#peer));
  }

  /** Member `leg` leaves; true when the CF took its BYE (200). */
  async memberBye(leg: LegIndex): Promise<boolean> {
    const { invite } = this.#call(leg);
    this.#send(memberBye(invite, leg, uriOf(getHeader(invite, 'to')), this.#peer));
    return (await this.#answer(getHeader(invite, 'call-id') ?? '', 2, 'BYE')) === 200;
  }

  /** Member `leg` answers the CF's BYE; false when there is none to answer. */
  answerBye(leg: LegIndex): boolean {
    const call = this.#call(leg);
    if (call.bye === undefined) return false;
    this.#respond(call.bye, createResponse(call.bye, 200));
    call.bye = undefined;
    return true;
  }

  /** Messages were sent that the CF has not yet proved it handled. */
  get unconfirmed(): boolean {
    return this.#unconfirmed;
  }

  /** Resolves once the CF has handled everything this side sent (the answer to an OPTIONS behind it). */
  async confirm(): Promise<void> {
    this.#unconfirmed = false;
    await this.#peer.ping(this.#cfPort);
  }

  close(): void {
    this.#peer.close();
  }

  #call(leg: LegIndex): MemberCall {
    const call = [...this.#calls.values()].find((c) => c.leg === leg);
    if (call === undefined) throw new Error(`member ${leg} got no INVITE from the CF, so it cannot answer one`);
    return call;
  }

  #send(text: string): void {
    this.#unconfirmed = true;
    this.#peer.send(text, this.#cfPort);
  }

  #respond(request: SipRequest, response: SipResponse): void {
    const text = serializeMessage(response).toString('utf8');
    this.#requests.set(requestKey(request), text);
    this.#send(text);
  }

  #answer(id: string, cseq: number, method: string): Promise<number> {
    return this.#peer
      .waitFor((m) => m.kind === 'response' && m.status >= 200 && getHeader(m, 'call-id') === id && getHeader(m, 'cseq') === `${cseq} ${method}`, `the CF's answer to ${method}`)
      .then((r) => r.status ?? 0);
  }

  #receive(received: Received): void {
    const message = received.message;
    if (message === undefined) return;
    const id = getHeader(message, 'call-id') ?? '';
    if (message.kind === 'response') {
      if (id === this.#callId) this.#responseToOriginator(message, received);
      else if (this.#calls.has(id) && getHeader(message, 'cseq') === '2 BYE' && message.status === 200) {
        this.#record({ type: 'member.answerBye', leg: this.#calls.get(id)!.leg });
      }
      return;
    }
    const key = requestKey(message);
    if (this.#requests.has(key)) {
      const again = this.#requests.get(key);
      if (again !== undefined) this.#send(again);
      return;
    }
    this.#requests.set(key, undefined);
    if (id === this.#callId) this.#requestToOriginator(message);
    else this.#requestToMember(message, id);
  }

  #responseToOriginator(response: SipResponse, received: Received): void {
    const method = (getHeader(response, 'cseq') ?? '').split(' ')[1];
    if (response.status < 200) return;
    if (method === 'INVITE') {
      const to = getHeader(response, 'to') ?? '';
      const key = `${response.status} ${/;tag=([^;]+)/.exec(to)?.[1] ?? ''}`;
      if (response.status >= 300) this.#send(rawRequest({ method: 'ACK', uri: this.#invite?.groupUri ?? '', peer: this.#peer, callId: this.#callId, to }));
      if (this.#finals.has(key)) return;
      this.#finals.add(key);
      if (response.status < 300) this.#ok = received;
      this.#record(finalResponseEffect(response));
    } else if (response.status === 200 && method === 'BYE') {
      this.#record({ type: 'originator.answerBye' });
    } else if (response.status === 200 && method === 'UPDATE') {
      this.#record({ type: 'originator.answerRefresh', sessionTimer: sessionTimerOf(response) });
    }
  }

  #requestToOriginator(request: SipRequest): void {
    if (request.method === 'BYE') {
      // The wire does not say why the CF ends the dialog (session expiry, no ACK, last member gone).
      this.#record({ type: 'originator.sendBye', reason: '' });
      this.#respond(request, createResponse(request, 200));
    } else if (request.method === 'UPDATE') {
      this.#record({ type: 'originator.sendRefresh' });
      this.#refresh = request;
    }
  }

  #requestToMember(request: SipRequest, id: string): void {
    const call = this.#calls.get(id);
    if (call === undefined) {
      if (request.method !== 'INVITE') return;
      const member = legOfMember(uriOf(getHeader(request, 'to')), this.#members);
      // An INVITE to someone the CF should not invite still gets a leg of its own, for invariant 2 to refuse.
      const leg = member >= 0 ? member : this.#members.length + this.#calls.size;
      this.#calls.set(id, { leg, invite: request, bye: undefined });
      this.#record(memberInviteEffect(request, leg));
      this.#respond(request, createResponse(request, 100));
      return;
    }
    switch (request.method) {
      case 'CANCEL':
        this.#record({ type: 'member.cancel', leg: call.leg });
        this.#respond(request, createResponse(request, 200));
        return;
      case 'ACK':
        // The ACK of a non-2xx belongs to the INVITE's transaction (RFC 3261 §17.1.1.3), not to the dialog.
        if (branchOf(request) !== branchOf(call.invite)) this.#record({ type: 'member.ack', leg: call.leg });
        return;
      case 'BYE':
        this.#record({ type: 'member.bye', leg: call.leg });
        call.bye = request;
        return;
      default:
        return;
    }
  }
}

/** A request and its retransmissions: the branch of its Via and its method (RFC 3261 §17.2.3). */
function requestKey(request: SipRequest): string {
  return `${branchOf(request)} ${request.method}`;
}
