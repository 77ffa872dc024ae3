/**
 * The end of every run: whatever was in flight arrives, then the world answers everything the CF
 * is waiting for, the originator ends its dialog if it still has one, and the clock fires every
 * pending timer — until nothing is left to do. A member still ringing is not made to answer: only
 * the CF's CANCEL or its own timer may end that INVITE. What remains of the session afterwards is
 * a state with no way out (invariant 6).
 */
import { describeAction, type WorldAction } from './world-actions.ts';
import type { World } from './world.ts';

/** Far more steps than any story needs: reaching it means the session keeps itself alive. */
const STEP_LIMIT = 400;
/** A member reading "everything": larger than any message a run sends. */
const READ_ALL = 1 << 20;

export interface Settled {
  released: boolean;
  /** Why the session did not end, when it did not. */
  stuck: string | null;
}

export async function settle(world: World): Promise<Settled> {
  await world.network.drained();
  // An action that changed nothing (a member reading while the CF relays nothing) is not tried
  // again until some other action moved the story on.
  const stalled = new Set<string>();
  for (let step = 0; step < STEP_LIMIT && !world.cf.released; step++) {
    const action = outstanding(world).find((a) => !stalled.has(describeAction(a))) ?? world.nextExpiry();
    if (action === undefined) return { released: false, stuck: `nothing left to answer and no timer pending; ${world.cf.describe()}` };
    const before = world.trace.length;
    await world.perform(action);
    if (world.trace.length > before) stalled.clear();
    else stalled.add(describeAction(action));
  }
  return world.cf.released
    ? { released: true, stuck: null }
    : { released: false, stuck: `still alive after ${STEP_LIMIT} steps; ${world.cf.describe()}` };
}

/** What the world owes the CF, most urgent first, ending with the originator's BYE. */
function outstanding(world: World): WorldAction[] {
  const actions: WorldAction[] = [];
  if (world.fetchPending) actions.push({ by: 'xdms', answer: world.scenario.xdms });
  for (const m of world.memberList()) {
    // RFC 3261 §9.2: a UAS that receives CANCEL for a pending INVITE answers it 487.
    if (m.cancelReceived && m.answer === null) actions.push({ by: 'member', leg: m.leg, act: 'ANSWER', answer: { kind: 'reject', status: 487 } });
    if (m.byeReceived && !m.byeAnswered) actions.push({ by: 'member', leg: m.leg, act: 'BYE_OK' });
    if (m.msrp === 'requested') actions.push({ by: 'member', leg: m.leg, act: 'CONNECT' });
    if (m.msrp === 'open') actions.push({ by: 'member', leg: m.leg, act: 'READ', bytes: READ_ALL });
  }
  const o = world.originator;
  if (o.final === 'accepted' && !o.acked) actions.push({ by: 'originator', act: 'ACK' });
  if (o.acked && !o.byeSent && !o.byeReceived) actions.push({ by: 'originator', act: 'BYE' });
  return actions;
}
