/**
 * Invariant 5 (BYE-3): when the session ends nothing of it is left — no live actor, no pending
 * timer, no open member connection, no spool — and its release is its last word: one
 * `session.release`, after which the CF does nothing more for the session.
 */
import { SessionInvariantError } from '../../test/model/session-checks.ts';
import type { FinishedRun } from './session-property.ts';

const INVARIANT = 'invariant 5: nothing is left when the session ends (BYE-3)';

function fail(detail: string): never {
  throw new SessionInvariantError(INVARIANT, detail);
}

export function checkNothingLeft({ world }: FinishedRun): void {
  const releases = world.trace.flatMap((step, index) => ('effect' in step && step.effect.type === 'session.release' ? [index] : []));
  if (!world.cf.released) {
    // Whether it should have ended is invariant 6's question; a release it did emit still counts.
    if (releases.length > 0) fail(`session.release emitted at step ${releases[0]} but the session is not released`);
    return;
  }
  if (releases.length !== 1) fail(`${releases.length} session.release effects`);
  const after = world.trace.slice(releases[0]! + 1).filter((step) => !('event' in step));
  if (after.length > 0) fail(`the CF acted after releasing the session: ${JSON.stringify(after[0])}`);
  const left = world.cf.leftovers();
  if (left.length > 0) fail(`left after the release: ${left.join(', ')}`);
  const timers = world.clock.pendingTimers();
  if (timers.length > 0) fail(`timers still pending after the release: ${timers.map((t) => `${t.timer}/${t.leg ?? '-'}`).join(', ')}`);
  const open = world.memberList().filter((m) => m.msrp === 'requested' || m.msrp === 'open');
  if (open.length > 0) fail(`MSRP connections of legs ${open.map((m) => m.leg).join(', ')} neither closed by the CF nor dropped`);
}
