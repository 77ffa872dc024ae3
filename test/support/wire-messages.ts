/**
 * The SIP the world around the CF writes, for tests that play it on raw sockets (the model-path
 * replay, the session properties over loopback): the originator's INVITE for an `InviteSummary`,
 * its requests in the dialog the CF's 200 OK made, and a member's answers and BYE to the CF's
 * INVITE — a member answering as `m<leg>`, every member through one peer (the outbound proxy).
 */
import type { InviteSummary, LegIndex, MsrpMedia } from '../../machines/types.ts';
import { formatMsrpSdp } from '../../runtime/sdp.ts';
import { createResponse } from '../../runtime/sip/builders.ts';
import { getHeader, header, type SipMessage, type SipRequest, type SipResponse } from '../../runtime/sip/message.ts';
import { rawRequest, type Received, type WirePeer } from './wire-peer.ts';

/** The URI of a name-addr (`<…>`), or '' without one. */
export function uriOf(nameAddr: string | undefined): string {
  return /<([^>]+)>/.exec(nameAddr ?? '')?.[1] ?? '';
}

/** The branch of a message's top Via. */
export function branchOf(message: SipMessage): string {
  return /branch=([^;,\s]+)/.exec(getHeader(message, 'via') ?? '')?.[1] ?? '';
}

/** An SDP body for `media`, as a UA that has one description per session writes it. */
export function sdpOf(media: MsrpMedia): string {
  return formatMsrpSdp(media, { sessionId: '1', version: 1 });
}

/** The originator's initial INVITE saying what `invite` summarises (the offer's a=path as given). */
export function originatorInvite(invite: InviteSummary, peer: WirePeer, callId: string, contribution: string): string {
  const headers = [
    `Contact: <sip:originator@${peer.sentBy}>`,
    `Contribution-ID: ${contribution}`,
    ...(invite.authenticatedOriginator === null ? [] : [`P-Asserted-Identity: <${invite.authenticatedOriginator}>`]),
    ...(invite.userAgent === null ? [] : [`User-Agent: ${invite.userAgent}`]),
    ...(invite.anonymityRequested ? ['Privacy: id'] : []),
    ...(invite.sessionExpires === null ? [] : [`Session-Expires: ${invite.sessionExpires.interval}${invite.sessionExpires.refresher === null ? '' : `;refresher=${invite.sessionExpires.refresher}`}`]),
    ...(invite.minSe === null ? [] : [`Min-SE: ${invite.minSe}`]),
    ...(invite.supportsTimer ? ['Supported: timer'] : []),
    ...(invite.offer === null ? [] : ['Content-Type: application/sdp']),
  ];
  const body = invite.offer === null ? '' : sdpOf(invite.offer);
  return rawRequest({ method: 'INVITE', uri: invite.groupUri, peer, callId, headers, body });
}

/** A request of the originator in the dialog of the CF's 200 OK `ok` (its To tag, to its Contact). */
export function originatorInDialog(method: string, cseq: number, ok: Received | undefined, peer: WirePeer, callId: string): string {
  const to = ok === undefined ? '' : (/^To: (.*)$/m.exec(ok.raw)?.[1] ?? '');
  const contact = ok === undefined ? 'sip:cpm-cf@127.0.0.1' : uriOf(/^Contact: (.*)$/m.exec(ok.raw)?.[1]);
  const headers = method === 'UPDATE' ? ['Supported: timer', `Contact: <sip:originator@${peer.sentBy}>`] : [];
  return rawRequest({ method, uri: contact, peer, callId, cseq, to, branch: `z9hG4bK-${method}-${cseq}-${callId}`, headers });
}

/** Member `leg`'s response to the CF's INVITE, with its MSRP answer when it has one. */
export function memberResponse(invite: SipRequest, leg: LegIndex, status: number, answer: MsrpMedia | null, peer: WirePeer): SipResponse {
  return createResponse(invite, status, {
    toTag: `m${leg}`,
    headers: [header('Contact', `<sip:m${leg}@${peer.sentBy}>`), ...(answer === null ? [] : [header('Content-Type', 'application/sdp')])],
    ...(answer === null ? {} : { body: Buffer.from(sdpOf(answer)) }),
  });
}

/** Member `leg` (`member`, its address) leaving the dialog its 200 OK to `invite` made. */
export function memberBye(invite: SipRequest, leg: LegIndex, member: string, peer: WirePeer): string {
  const callId = getHeader(invite, 'call-id') ?? '';
  return rawRequest({ method: 'BYE', uri: uriOf(getHeader(invite, 'contact')), peer, callId, cseq: 2, branch: `z9hG4bK-bye-${callId}`, to: getHeader(invite, 'from') ?? '' })
    .replace(/^From: .*$/m, `From: <${member}>;tag=m${leg}`);
}
