/**
 * Invariant 3: no MSRP data goes to a leg before its connection is established (after the
 * originator's ACK and the member's ACKed 200, ACK-1), and every member that accepted receives
 * exactly the originator's bytes, in order, before its BYE — late joiners and slow members
 * included (open questions 6 and 9) — or is reported as failed: its copy aborted with `#`, its
 * connection or dialog broken by the world, or a failure REPORT to the originator (open question 11).
 */
import type { LegIndex } from '../../machines/types.ts';
import { SessionInvariantError } from '../../test/model/session-checks.ts';
import type { FinishedRun } from './session-property.ts';
import type { Trace } from './trace.ts';

const INVARIANT = "invariant 3: no MSRP data before the connection; every accepting member gets the originator's bytes, in order, or is reported failed";

interface LegMedia {
  /** The CF received the member's usable 200 while its INVITE was pending (no CANCEL sent yet). */
  accepted: boolean;
  answered: boolean;
  cancelled: boolean;
  acked: boolean;
  connected: boolean;
  byeSent: boolean;
  /** The world broke it: the connection dropped or the member left. */
  broken: boolean;
  aborted: boolean;
  received: Buffer[];
}

function fail(detail: string): never {
  throw new SessionInvariantError(INVARIANT, detail);
}

function replayMedia(trace: Trace): Map<LegIndex, LegMedia> {
  const legs = new Map<LegIndex, LegMedia>();
  const of = (leg: LegIndex) =>
    legs.get(leg) ??
    legs.set(leg, { accepted: false, answered: false, cancelled: false, acked: false, connected: false, byeSent: false, broken: false, aborted: false, received: [] }).get(leg)!;
  let originatorAcked = false;
  for (const [index, step] of trace.entries()) {
    if ('data' in step) {
      const l = of(step.data.leg);
      if (!l.connected) fail(`step ${index}: ${step.data.bytes.length} bytes to leg ${step.data.leg} over no established connection`);
      if (l.byeSent) fail(`step ${index}: bytes to leg ${step.data.leg} after its BYE`);
      l.received.push(step.data.bytes);
    } else if ('event' in step) {
      const event = step.event;
      if (event.type === 'ACK') originatorAcked = true;
      if (event.type !== 'MEMBER') continue;
      const l = of(event.leg);
      const e = event.event;
      if (e.type === 'MEMBER_ACCEPTED' || e.type === 'MEMBER_REJECTED' || e.type === 'MEMBER_UNREACHABLE') {
        if (!l.answered) l.accepted = !l.cancelled && e.type === 'MEMBER_ACCEPTED' && e.answer !== null;
        l.answered = true;
      }
      if (e.type === 'MSRP_CONNECTED') Object.assign(l, { connected: true });
      if (e.type === 'MSRP_FAILED' || e.type === 'MEMBER_BYE') Object.assign(l, { broken: true, connected: false });
    } else {
      const effect = step.effect;
      if (!('leg' in effect) || effect.leg === null) continue;
      const l = of(effect.leg);
      const at = `step ${index}: ${effect.type} for leg ${effect.leg}`;
      switch (effect.type) {
        case 'member.cancel':
          l.cancelled = true;
          break;
        case 'member.ack':
          l.acked = true;
          break;
        case 'member.bye':
          l.byeSent = true;
          break;
        case 'msrp.connectMember':
        case 'msrp.awaitMember':
          // ACK-1, open question 5: member connections follow the originator's ACK and the member's ACKed 200.
          if (!originatorAcked || !l.acked || !l.accepted) fail(`${at} before ${!originatorAcked ? "the originator's ACK" : 'an accepted, ACKed 200 of the member'}`);
          break;
        case 'msrp.relayToMember':
          if (!l.connected) fail(`${at} before its MSRP connection was established`);
          break;
        case 'msrp.abortDelivery':
          l.aborted = true;
          break;
        case 'msrp.closeMember':
          l.connected = false;
          break;
        default:
          break;
      }
    }
  }
  return legs;
}

export function checkMsrpDelivery({ world }: FinishedRun): void {
  const legs = replayMedia(world.trace);
  const message = world.acceptedBytes();
  const failureReported = world.trace.some((s) => 'effect' in s && s.effect.type === 'originator.report' && s.effect.status !== 200);
  for (const [leg, l] of legs) {
    const received = Buffer.concat(l.received);
    if (!message.subarray(0, received.length).equals(received)) {
      fail(`leg ${leg} received ${received.toString('hex')}, not a prefix of the originator's ${message.toString('hex')}`);
    }
    if (!world.cf.released || !l.accepted || received.length === message.length) continue;
    if (!l.aborted && !l.broken && !failureReported) {
      fail(`leg ${leg} accepted but got ${received.length} of the originator's ${message.length} bytes, and nobody was told it failed`);
    }
  }
}
