/**
 * Named call-flow scenarios: one per branch a standards engineer asks about (every rejection of the
 * INVITE block, success with one and with three members, CANCEL, nobody accepting, a late joiner, a
 * member leaving, BYE while a copy is in flight, session expiry). Each is the list of events the
 * originator, the members, the XDMS and the timers send to one session, run through `runSystem`;
 * `docs/call-flows/` draws what the CF did in answer, and `test/docs/scenarios.test.ts` checks it.
 */
import type { SessionEvent } from '../../machines/session.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { GroupDocument } from '../../machines/group.ts';
import type { InviteSummary } from '../../machines/types.ts';
import { addresses, groups, invite, msrpMedia } from './fixtures.ts';
import { twoMemberGroup } from './session-system.ts';

export interface Scenario {
  /** The call flow's file name: `docs/call-flows/<name>.svg`. */
  name: string;
  title: string;
  /** What the flow shows, in the words of the CR and of docs/spec-findings.md. */
  summary: string;
  events: SessionEvent[];
  /** The status of the CF's final answer to the originator's INVITE. */
  answer: number;
  /** Whether the session has released every resource (BYE-3) once the events are in. */
  released: boolean;
}

const withTimer = invite({ sessionExpires: { interval: 1800, refresher: null } });

/** Bob (the originator) and Alice: one member to invite. */
const oneMemberGroup: GroupDocument = { ...groups.friends, members: [{ uri: addresses.bob }, { uri: addresses.alice }] };

function opening(request: InviteSummary, group: GroupDocument): SessionEvent[] {
  return [{ type: 'INVITE', invite: request }, { type: 'GROUP_DOCUMENT_FOUND', group }];
}

const member = (leg: number, event: MemberLegEvent): SessionEvent => ({ type: 'MEMBER', leg, event });
const ringing = (leg: number) => member(leg, { type: 'MEMBER_PROVISIONAL' });
/** The member's 200 OK, its SDP answer naming its own MSRP endpoint (no a=setup: the CF connects). */
const accepts = (leg: number, user: 'alice' | 'carol' | 'dave') =>
  member(leg, { type: 'MEMBER_ACCEPTED', answer: msrpMedia(`msrp://${user}.example.net:9000/s${leg};tcp`) });
const connected = (leg: number) => member(leg, { type: 'MSRP_CONNECTED' });
const caughtUp = (leg: number) => member(leg, { type: 'CAUGHT_UP' });
const byeAnswered = (leg: number) => member(leg, { type: 'BYE_COMPLETED' });
const delivered = (leg: number): SessionEvent => ({ type: 'MEMBER_MESSAGE_DELIVERED', leg, messageId: 'm1' });
const chunk = (flag: '+' | '$'): SessionEvent => ({ type: 'SEND', messageId: 'm1', flag, successReport: true, failureReport: 'yes' });

function rejection(name: string, title: string, summary: string, answer: number, events: SessionEvent[]): Scenario {
  return { name, title, summary, events, answer, released: true };
}

export const scenarios: readonly Scenario[] = [
  rejection('inv-1-not-authorised', 'INV-1: originator not authorised', "The group's rules give the originator no <allow-initiate-conference>: 403 Forbidden, Warning 'Service not authorised'.", 403,
    opening(invite({ authenticatedOriginator: addresses.stranger }), groups.friends)),
  rejection('inv-1-unauthenticated', 'INV-1: no Authenticated Originator (open question 3)', 'No trusted P-Asserted-Identity: 403 without asking the XDMS.', 403,
    [{ type: 'INVITE', invite: invite({ authenticatedOriginator: null }) }]),
  rejection('inv-1-unknown-group', 'INV-1: unknown group (open question 1)', 'The XDMS has no such group: 403 like an unauthorised request, never 404, so groups cannot be probed.', 403,
    [{ type: 'INVITE', invite: invite() }, { type: 'GROUP_DOCUMENT_NOT_FOUND' }]),
  rejection('inv-2-no-cpm-service', 'INV-2: group without the CPM service', '<supported-services> lacks the Large Message Mode ICSI: 404 Not Found.', 404,
    opening(invite(), groups.noCpm)),
  rejection('inv-4-user-agent', 'INV-4: User-Agent version not supported', 'The CF requires CPM-client/OMA1.0: 403 Forbidden with Error-Info.', 403,
    opening(invite({ userAgent: 'OldClient/0.9' }), groups.friends)),
  rejection('inv-5-anonymity', 'INV-5: anonymity not allowed', "Bob asks for privacy but the rules allow anonymity to Alice only: 403, Warning 'Anonymity not allowed'.", 403,
    opening(invite({ anonymityRequested: true }), groups.friends)),
  rejection('inv-6-session-interval', 'INV-6: Session-Expires too small', 'Session-Expires 60 is below the minimum (RFC 4028 §9): 422 with Min-SE.', 422,
    opening(invite({ sessionExpires: { interval: 60, refresher: 'uac' } }), groups.friends)),
  rejection('no-msrp-offer-488', '488: no MSRP media offered', 'The SDP offer has no MSRP media line, so there is nothing to relay: 488 Not Acceptable Here.', 488,
    opening(invite({ offer: null }), groups.friends)),
  rejection('no-member-to-invite-480', '480: nobody to invite (open questions 7 and 14)', 'The group lists only the originator (twice): 480 Temporarily Unavailable.', 480,
    opening(invite(), groups.onlyOriginator)),
  rejection('xdms-failure-500', '500: the XDMS failed', 'The group document cannot be read: 500 Server Internal Error.', 500,
    [{ type: 'INVITE', invite: invite() }, { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 500, retryAfter: null }]),
  rejection('xdms-unavailable-503', '503: the XDMS is unavailable', 'The XDMS is overloaded: 503 Service Unavailable with Retry-After.', 503,
    [{ type: 'INVITE', invite: invite() }, { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 503, retryAfter: 30 }]),
  {
    name: 'success-one-member',
    title: 'Success with one member',
    summary: "INVITE to a group of one other member: the member's 200 OK makes the CF answer 200 OK (OK-1 … OK-7), the ACK opens MSRP (ACK-1), the message is relayed in two chunks (SEND-1) and reported, and the sender's BYE ends it all (BYE-1 … BYE-3).",
    events: [
      ...opening(withTimer, oneMemberGroup), ringing(0), accepts(0, 'alice'), { type: 'ACK' },
      chunk('+'), connected(0), chunk('$'), caughtUp(0), delivered(0),
      { type: 'BYE' }, byeAnswered(0),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'success-three-members',
    title: 'Success with three members',
    summary: 'INVITE fanned out to three members; the first 200 OK answers the originator, the other two join as recipients; one SEND reaches all three and one REPORT settles it.',
    events: [
      ...opening(withTimer, groups.friends), accepts(0, 'alice'), accepts(1, 'carol'), accepts(2, 'dave'), { type: 'ACK' },
      connected(0), connected(1), connected(2), chunk('$'), caughtUp(0), caughtUp(1), caughtUp(2),
      delivered(0), delivered(1), delivered(2),
      { type: 'BYE' }, byeAnswered(0), byeAnswered(1), byeAnswered(2),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'cancel-before-answer',
    title: 'CANCEL before any member answered (open question 8)',
    summary: 'The originator CANCELs while the members ring: 487 Request Terminated, and every pending INVITE is CANCELled.',
    events: [...opening(invite(), twoMemberGroup), ringing(0), { type: 'CANCEL' },
      member(0, { type: 'MEMBER_REJECTED', status: 487 }), member(1, { type: 'MEMBER_REJECTED', status: 487 })],
    answer: 487,
    released: true,
  },
  {
    name: 'all-members-fail',
    title: 'Every member fails (open question 7)',
    summary: 'One member is busy, the other cannot be reached: nobody accepted, so 480 Temporarily Unavailable.',
    events: [...opening(invite(), twoMemberGroup), member(0, { type: 'MEMBER_REJECTED', status: 486 }), member(1, { type: 'MEMBER_UNREACHABLE' })],
    answer: 480,
    released: true,
  },
  {
    name: 'late-joiner',
    title: 'A member accepts after the message was sent (open question 6)',
    summary: 'The second member accepts only after the whole message reached the CF: it is connected and relayed the message from the first byte, and the REPORT waits for it.',
    events: [
      ...opening(withTimer, twoMemberGroup), accepts(0, 'alice'), { type: 'ACK' }, connected(0), chunk('$'), caughtUp(0), delivered(0),
      accepts(1, 'carol'), connected(1), caughtUp(1), delivered(1),
      { type: 'BYE' }, byeAnswered(0), byeAnswered(1),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'member-leaves',
    title: 'A member sends BYE (open question 10)',
    summary: "One member leaves after receiving the message: the CF answers its BYE and keeps the session for the other until the sender's BYE.",
    events: [
      ...opening(withTimer, twoMemberGroup), accepts(0, 'alice'), accepts(1, 'carol'), { type: 'ACK' }, connected(0), connected(1),
      chunk('$'), caughtUp(0), caughtUp(1), delivered(0), delivered(1),
      member(0, { type: 'MEMBER_BYE' }), { type: 'BYE' }, byeAnswered(1),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'last-member-leaves',
    title: 'The last member leaves (open question 10)',
    summary: 'The only member who accepted sends BYE: with nobody left to deliver to, the CF ends the session with its own BYE to the originator.',
    events: [
      ...opening(withTimer, twoMemberGroup), member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepts(0, 'alice'), { type: 'ACK' }, connected(0),
      member(0, { type: 'MEMBER_BYE' }),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'bye-during-delivery',
    title: "The sender's BYE while a copy is in flight (open question 9)",
    summary: 'BYE arrives while one member is still receiving and the other still rings: the ringing INVITE is CANCELled, the receiving member finishes its copy before its BYE.',
    events: [
      ...opening(withTimer, twoMemberGroup), ringing(1), accepts(0, 'alice'), { type: 'ACK' }, connected(0), chunk('$'),
      { type: 'BYE' }, member(1, { type: 'MEMBER_REJECTED', status: 487 }), caughtUp(0), delivered(0), byeAnswered(0),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'drain-timeout',
    title: 'A copy still in flight when the drain timer expires (open question 9)',
    summary: "After the sender's BYE the member is too slow: the drain timer ends its chunk with '#' and the CF sends BYE.",
    events: [
      ...opening(withTimer, twoMemberGroup), member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepts(0, 'alice'), { type: 'ACK' }, connected(0), chunk('$'),
      { type: 'BYE' }, { type: 'TIMER', timer: 'drain', leg: 0 }, byeAnswered(0),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'session-expiry',
    title: 'Session expiry (INV-6, open question 12)',
    summary: 'The originator, who is the refresher, never refreshes: when Session-Expires runs out the CF sends BYE to it and to every member.',
    events: [
      ...opening(withTimer, twoMemberGroup), member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepts(0, 'alice'), { type: 'ACK' }, connected(0), caughtUp(0),
      { type: 'TIMER', timer: 'sessionExpiry', leg: null }, byeAnswered(0),
    ],
    answer: 200,
    released: true,
  },
  {
    name: 'no-ack',
    title: 'The originator never ACKs the 200 OK',
    summary: 'RFC 3261 §13.3.1.4: after 64*T1 without ACK the CF ends the session with BYE towards the originator and every member.',
    events: [
      ...opening(withTimer, twoMemberGroup), member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepts(0, 'alice'),
      { type: 'TIMER', timer: 'ack', leg: null }, byeAnswered(0),
    ],
    answer: 200,
    released: true,
  },
];
