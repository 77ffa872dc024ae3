/**
 * What crosses the wire, in a standards engineer's words: each event a scenario sends the session
 * (the originator's SIP and MSRP, the members', the XDMS's answer, a timer's expiry) and each effect
 * the CF emits becomes an arrow between two participants with its key headers, or a note on the CF's
 * lifeline when nothing is sent (a timer, opening the focus, releasing the session). The header
 * values come from the event or effect itself; nothing here decides anything.
 */
import type { CfEffect, TimerName } from '../../machines/effects.ts';
import type { RequirementId } from '../../machines/requirements.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { LegIndex, MsrpMedia, SessionTimer } from '../../machines/types.ts';

export const ORIGINATOR = 'originator';
export const CF = 'cf';
export const XDMS = 'xdms';
export const memberLane = (leg: LegIndex) => `member${leg + 1}`;

/** A SIP request, a SIP response, or MSRP / TCP on the media path. */
export type MessageStyle = 'request' | 'response' | 'media';
export type NoteRole = 'steps' | 'timer' | 'action';

export type FlowItem =
  | { kind: 'message'; from: string; to: string; style: MessageStyle; lines: string[] }
  | { kind: 'note'; over: string; role: NoteRole; lines: string[]; requirements: RequirementId[] };

const reasons: Record<number, string> = {
  180: 'Ringing', 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 486: 'Busy Here', 487: 'Request Terminated', 500: 'Server Internal Error',
  503: 'Service Unavailable', 603: 'Decline',
};

function statusLine(status: number): string {
  return `${status} ${reasons[status] ?? ''}`.trimEnd();
}

function message(from: string, to: string, style: MessageStyle, ...lines: string[]): FlowItem {
  return { kind: 'message', from, to, style, lines };
}

function note(role: NoteRole, ...lines: string[]): FlowItem {
  return { kind: 'note', over: CF, role, lines, requirements: [] };
}

function sdp(kind: 'offer' | 'answer', media: MsrpMedia): string[] {
  return [`SDP ${kind}: a=path:${media.path.join(' ')}`, ...(media.setup === null ? [] : [`a=setup:${media.setup}`])];
}

function sessionExpires(timer: SessionTimer | { interval: number; refresher: null }): string {
  return `Session-Expires: ${timer.interval}${timer.refresher === null ? '' : `;refresher=${timer.refresher}`}`;
}

function userPart(uri: string): string {
  return uri.replace(/^(sips?|tel):/, '').split('@')[0] ?? uri;
}

function memberEvent(leg: LegIndex, event: MemberLegEvent): FlowItem {
  const lane = memberLane(leg);
  switch (event.type) {
    case 'MEMBER_PROVISIONAL':
      return message(lane, CF, 'response', statusLine(180));
    case 'MEMBER_ACCEPTED':
      return message(lane, CF, 'response', '200 OK', ...(event.answer === null ? ['SDP answer without MSRP media'] : sdp('answer', event.answer)));
    case 'MEMBER_REJECTED':
      return message(lane, CF, 'response', statusLine(event.status));
    case 'MEMBER_UNREACHABLE':
      return note('action', `No response from member ${leg + 1}: transaction timeout or transport error (RFC 3261 §8.1.3.1, as 408)`);
    case 'MEMBER_BYE':
      return message(lane, CF, 'request', 'BYE');
    case 'BYE_COMPLETED':
      return message(lane, CF, 'response', '200 OK (BYE)');
    case 'MSRP_CONNECTED':
      return message(lane, CF, 'media', 'TCP connection up (MSRP)');
    case 'MSRP_FAILED':
      return message(lane, CF, 'media', 'MSRP connection lost');
    case 'CAUGHT_UP':
      return message(lane, CF, 'media', 'MSRP 200 OK to every chunk spooled so far');
    default:
      return note('action', `${event.type} (member ${leg + 1})`);
  }
}

function timerName(timer: TimerName, leg: LegIndex | null): string {
  return `${timer} timer${leg === null ? '' : ` (member ${leg + 1})`}`;
}

/** The arrow or note for an event the scenario sends to the session. */
export function eventItem(event: SessionEvent): FlowItem {
  switch (event.type) {
    case 'INVITE': {
      const i = event.invite;
      return message(ORIGINATOR, CF, 'request',
        `INVITE ${i.groupUri}`,
        i.authenticatedOriginator === null ? 'no trusted P-Asserted-Identity' : `P-Asserted-Identity: <${i.authenticatedOriginator}>`,
        ...(i.userAgent === null ? [] : [`User-Agent: ${i.userAgent}`]),
        ...(i.anonymityRequested ? ['Privacy: id'] : []),
        ...(i.sessionExpires === null ? [] : [sessionExpires(i.sessionExpires)]),
        ...(i.minSe === null ? [] : [`Min-SE: ${i.minSe}`]),
        ...(i.supportsTimer ? ['Supported: timer'] : []),
        ...(i.offer === null ? ['SDP offer without MSRP media'] : sdp('offer', i.offer)));
    }
    case 'GROUP_DOCUMENT_FOUND':
      return message(XDMS, CF, 'response', '200 OK (Shared Group XDM document)',
        `<list>: ${event.group.members.map((m) => userPart(m.uri)).join(', ')}`,
        `<supported-services>: ${event.group.supportedServices.map((s) => s.split('.').slice(-2).join('.')).join(', ') || 'none'}`);
    case 'GROUP_DOCUMENT_NOT_FOUND':
      return message(XDMS, CF, 'response', statusLine(404));
    case 'GROUP_DOCUMENT_UNAVAILABLE':
      return message(XDMS, CF, 'response', statusLine(event.status), ...(event.retryAfter === null ? [] : [`Retry-After: ${event.retryAfter}`]));
    case 'CANCEL':
      return message(ORIGINATOR, CF, 'request', 'CANCEL');
    case 'ACK':
      return message(ORIGINATOR, CF, 'request', 'ACK');
    case 'BYE':
      return message(ORIGINATOR, CF, 'request', 'BYE');
    case 'REFRESH':
      return message(ORIGINATOR, CF, 'request', 'UPDATE or re-INVITE (session refresh, RFC 4028 §7)');
    case 'REFRESH_FAILED':
      return message(ORIGINATOR, CF, 'response', "error response to the CF's session refresh");
    case 'TIMER':
      return note('timer', `${timerName(event.timer, event.leg)} fires`);
    case 'SEND':
      return message(ORIGINATOR, CF, 'media', `MSRP SEND, Message-ID: ${event.messageId}`,
        `Success-Report: ${event.successReport ? 'yes' : 'no'}, Failure-Report: ${event.failureReport}`,
        `end-line flag ${event.flag}: ${event.flag === '$' ? 'last chunk' : event.flag === '+' ? 'more chunks follow' : 'message aborted'}`);
    case 'MEMBER_MESSAGE_DELIVERED':
      return message(memberLane(event.leg), CF, 'media', `MSRP 200 OK to the last chunk of ${event.messageId}`);
    case 'MEMBER':
      return memberEvent(event.leg, event.event);
    default:
      return note('action', event.type);
  }
}

/** The arrow or note for an effect the CF emits. */
export function effectItem(effect: CfEffect): FlowItem {
  switch (effect.type) {
    case 'xdm.fetchGroupDocument':
      return message(CF, XDMS, 'request', 'XCAP GET', `org.openmobilealliance.groups/global/byGroupID/${effect.groupUri}`);
    case 'focus.open':
      return note('action', `open the conference focus of ${effect.groupUri}`);
    case 'originator.reject': {
      const r = effect.rejection;
      return message(CF, ORIGINATOR, 'response', `${r.status} ${r.reason}`,
        ...(r.warning === undefined ? [] : [`Warning: 399 "${r.warning}"`]),
        ...(r.errorInfo === undefined ? [] : [`Error-Info: <${r.errorInfo}>`]),
        ...(r.minSe === undefined ? [] : [`Min-SE: ${r.minSe}`]),
        ...(r.retryAfter === undefined ? [] : [`Retry-After: ${r.retryAfter}`]));
    }
    case 'originator.accept': {
      const r = effect.response;
      return message(CF, ORIGINATOR, 'response', '200 OK',
        `Contact: <${r.contact.uri}>${r.contact.isfocus ? ';isfocus' : ''}`,
        `Server: ${r.server}`,
        `Allow: ${r.allow.join(', ')}`,
        ...(r.sessionTimer === null ? [] : [sessionExpires(r.sessionTimer)]),
        ...(r.requireTimer ? ['Require: timer'] : []),
        ...sdp('answer', r.answer));
    }
    case 'originator.answerBye':
      return message(CF, ORIGINATOR, 'response', '200 OK (BYE)');
    case 'originator.sendBye':
      return message(CF, ORIGINATOR, 'request', `BYE (${effect.reason})`);
    case 'originator.answerRefresh':
      return message(CF, ORIGINATOR, 'response', '200 OK (refresh)', ...(effect.sessionTimer === null ? [] : [sessionExpires(effect.sessionTimer)]));
    case 'originator.sendRefresh':
      return message(CF, ORIGINATOR, 'request', 'UPDATE (session refresh, RFC 4028 §10)');
    case 'originator.report':
      return message(CF, ORIGINATOR, 'media', `MSRP REPORT, Message-ID: ${effect.messageId}`, `Status: 000 ${effect.status} ${effect.comment}`);
    case 'originator.connectMsrp':
      return message(CF, ORIGINATOR, 'media', 'TCP connect (MSRP; the originator asked to be passive)');
    case 'member.invite':
      return message(CF, memberLane(effect.leg), 'request', `INVITE ${effect.member.uri}`,
        `From: ${effect.originator ?? '"Anonymous" <sip:anonymous@anonymous.invalid>'}`,
        ...sdp('offer', effect.offer));
    case 'member.ack':
      return message(CF, memberLane(effect.leg), 'request', 'ACK');
    case 'member.cancel':
      return message(CF, memberLane(effect.leg), 'request', 'CANCEL');
    case 'member.bye':
      return message(CF, memberLane(effect.leg), 'request', 'BYE');
    case 'member.answerBye':
      return message(CF, memberLane(effect.leg), 'response', '200 OK (BYE)');
    case 'msrp.connectMember':
      return message(CF, memberLane(effect.leg), 'media', `TCP connect to ${effect.answer.path.at(-1) ?? ''}`);
    case 'msrp.awaitMember':
      return note('action', `await member ${effect.leg + 1}'s TCP connection (it answered a=setup:active)`);
    case 'msrp.relayToMember':
      return message(CF, memberLane(effect.leg), 'media', 'MSRP SEND: the spooled chunks, from the first byte not yet sent');
    case 'msrp.abortDelivery':
      return message(CF, memberLane(effect.leg), 'media', "MSRP SEND: the chunk in flight ended with '#'");
    case 'msrp.closeMember':
      return message(CF, memberLane(effect.leg), 'media', 'TCP close (MSRP)');
    case 'timer.start':
      return note('timer', `start ${timerName(effect.timer, effect.leg)}: ${effect.ms / 1000} s`);
    case 'timer.cancel':
      return note('timer', `cancel ${timerName(effect.timer, effect.leg)}`);
    case 'session.release':
      return note('action', 'release every resource of the group session');
  }
}
