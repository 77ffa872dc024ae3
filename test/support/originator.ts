/** The originator's side of a Large Message Mode session, played by a `SipPeer`. */
import type sip from 'sip';
import { SENDER } from './groups.ts';
import type { SipPeer } from './sip-peer.ts';
import { waitFor } from './wait-for.ts';

const ORIGINATOR_MSRP_PATH = 'msrp://127.0.0.1:7777/originator-s;tcp';

export function originatorOfferSdp(setup?: 'active' | 'passive' | 'actpass'): string {
  return [
    'v=0',
    'o=sender 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=message 7777 TCP/MSRP *',
    'a=accept-types:message/cpim application/octet-stream',
    'a=accept-wrapped-types:*',
    'a=max-size:10485760',
    ...(setup === undefined ? [] : [`a=setup:${setup}`]),
    `a=path:${ORIGINATOR_MSRP_PATH}`,
    'a=file-selector:name:"report.pdf" type:application/pdf size:1024',
    '',
  ].join('\r\n');
}

export interface InviteOptions {
  readonly group: string;
  /** P-Asserted-Identity; null for none. Defaults to the demo sender. */
  readonly assertedIdentity?: string | null;
  readonly headers?: sip.Headers;
  /** The SDP offer; null for an INVITE without a body. */
  readonly sdp?: string | null;
}

let calls = 0;

/** One INVITE of the originator towards the CF and everything that follows in its dialog. */
export class OriginatorCall {
  readonly responses: sip.Message[] = [];
  readonly invite: sip.Message;
  private cseq = 1;

  constructor(
    private readonly peer: SipPeer,
    private readonly cfPort: number,
    options: InviteOptions,
  ) {
    const pai = options.assertedIdentity === undefined ? SENDER : options.assertedIdentity;
    const sdp = options.sdp === undefined ? originatorOfferSdp() : options.sdp;
    this.invite = {
      method: 'INVITE',
      uri: options.group,
      headers: {
        route: [{ uri: this.cfHop(true), params: {} }],
        to: { uri: options.group, params: {} },
        from: { uri: SENDER, params: { tag: `o${++calls}${Date.now().toString(36)}` } },
        'call-id': `call-${calls}-${Math.random().toString(36).slice(2)}@127.0.0.1`,
        cseq: { seq: this.cseq, method: 'INVITE' },
        contact: peer.contact,
        'max-forwards': '70',
        ...(pai === null ? {} : { 'p-asserted-identity': `<${pai}>` }),
        ...(sdp === null ? {} : { 'content-type': 'application/sdp' }),
        ...options.headers,
      },
      ...(sdp === null ? {} : { content: sdp }),
    };
    peer.send(this.invite, (response) => this.responses.push(response));
  }

  /** The final response to the INVITE. */
  final(ms = 5000): Promise<sip.Message> {
    return waitFor(() => this.responses.find((r) => (r.status ?? 0) >= 200), 'final response to the INVITE', ms);
  }

  /** RFC 3261 §13.2.2.4: ACK the 2xx. */
  ack(ok: sip.Message): void {
    this.peer.send({
      method: 'ACK',
      uri: this.target(ok),
      headers: { to: ok.headers.to, from: this.invite.headers.from, 'call-id': this.invite.headers['call-id'], cseq: { seq: 1, method: 'ACK' }, via: [], 'max-forwards': '70' },
    });
  }

  /** An in-dialog request (BYE, UPDATE, re-INVITE) and its final response. */
  request(method: string, ok: sip.Message, headers: sip.Headers = {}, content?: string): Promise<sip.Message> {
    const request: sip.Message = {
      method,
      uri: this.target(ok),
      headers: {
        to: ok.headers.to,
        from: this.invite.headers.from,
        'call-id': this.invite.headers['call-id'],
        cseq: { seq: ++this.cseq, method },
        contact: this.peer.contact,
        'max-forwards': '70',
        ...headers,
      },
      ...(content === undefined ? {} : { content }),
    };
    const responses: sip.Message[] = [];
    this.peer.send(request, (response) => responses.push(response));
    return waitFor(() => responses.find((r) => (r.status ?? 0) >= 200), `final response to ${method}`, 5000);
  }

  /** RFC 3261 §9.1: CANCEL of the INVITE, same top Via; resolves with the CANCEL's final response. */
  cancel(): Promise<sip.Message> {
    const via = this.invite.headers.via?.[0];
    const cancel: sip.Message = {
      method: 'CANCEL',
      uri: this.invite.uri,
      headers: {
        via: via === undefined ? [] : [via],
        route: this.invite.headers.route,
        to: this.invite.headers.to,
        from: this.invite.headers.from,
        'call-id': this.invite.headers['call-id'],
        cseq: { seq: 1, method: 'CANCEL' },
        'max-forwards': '70',
      },
    };
    const responses: sip.Message[] = [];
    this.peer.send(cancel, (response) => responses.push(response));
    return waitFor(() => responses.find((r) => (r.status ?? 0) >= 200), 'final response to CANCEL', 5000);
  }

  private cfHop(withLr: boolean): string {
    return `sip:127.0.0.1:${this.cfPort}${this.peer.transport === 'tcp' ? ';transport=tcp' : ''}${withLr ? ';lr' : ''}`;
  }

  // The remote target is the CF's Contact; over TCP the peer is told to keep to TCP.
  private target(ok: sip.Message): string {
    const contact = ok.headers.contact?.[0]?.uri ?? this.cfHop(false);
    return this.peer.transport === 'tcp' && !contact.includes('transport=') ? `${contact};transport=tcp` : contact;
  }
}
