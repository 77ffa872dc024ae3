/** How a member played by the `sip` package answers the CF's requests. */
import type sip from 'sip';
import type { Behaviour, SipPeer } from './sip-peer.ts';

/** RFC 4975 §8 answer of a member whose MSRP endpoint is `msrp://127.0.0.1:<port>/<name>;tcp`. */
export function memberAnswerSdp(peer: SipPeer, setup: 'active' | 'passive' = 'passive'): string {
  return [
    'v=0',
    `o=${peer.name} 1 1 IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=message ${peer.port} TCP/MSRP *`,
    'a=accept-types:message/cpim application/octet-stream',
    'a=max-size:2097152',
    `a=setup:${setup}`,
    `a=path:msrp://127.0.0.1:${peer.port}/${peer.name}-s;tcp`,
    '',
  ].join('\r\n');
}

/** INVITEs this member already sent a final response to, so a CANCEL after one gets no 487. */
const answered = new WeakSet<sip.Message>();

/** What every member answers alike: BYE, UPDATE and OPTIONS 200; CANCEL 200 and its INVITE 487; ACK taken. */
function answerCommon(request: sip.Message, peer: SipPeer): boolean {
  if (request.method === 'BYE' || request.method === 'UPDATE' || request.method === 'OPTIONS') {
    peer.respond(request, 200, 'OK');
    return true;
  }
  if (request.method === 'CANCEL') {
    peer.respond(request, 200, 'OK');
    const invite = peer.requests.find((r) => r.method === 'INVITE' && r.headers['call-id'] === request.headers['call-id']);
    if (invite !== undefined && !answered.has(invite)) {
      answered.add(invite);
      peer.respond(invite, 487, 'Request Terminated');
    }
    return true;
  }
  return request.method === 'ACK';
}

/** Rings (180), then accepts with an MSRP answer after `delayMs`. */
export function accepting(delayMs = 0, setup: 'active' | 'passive' = 'passive'): Behaviour {
  return (request, peer) => {
    if (answerCommon(request, peer)) return;
    if (request.method !== 'INVITE') return;
    if (request.headers.to?.params.tag !== undefined) {
      peer.respond(request, 200, 'OK', { headers: { contact: peer.contact, 'content-type': 'application/sdp' }, content: memberAnswerSdp(peer, setup) });
      return;
    }
    peer.respond(request, 180, 'Ringing', { headers: { contact: peer.contact } });
    setTimeout(() => {
      if (answered.has(request)) return;
      answered.add(request);
      peer.respond(request, 200, 'OK', { headers: { contact: peer.contact, 'content-type': 'application/sdp' }, content: memberAnswerSdp(peer, setup) });
    }, delayMs);
  };
}

/** Rings, then declines with `status`. */
export function rejecting(status: number, reason: string): Behaviour {
  return (request, peer) => {
    if (answerCommon(request, peer)) return;
    if (request.method !== 'INVITE') return;
    peer.respond(request, 180, 'Ringing');
    answered.add(request);
    peer.respond(request, status, reason);
  };
}

/** Rings and never answers; a CANCEL gets 200 and the INVITE 487. */
export function ringing(): Behaviour {
  return (request, peer) => {
    if (answerCommon(request, peer)) return;
    if (request.method === 'INVITE') peer.respond(request, 180, 'Ringing');
  };
}
