/**
 * Session invariant 6: no state without a way out — structurally over every machine, and
 * dynamically at the end of every run, once the clock has fired every pending timer and the world
 * has answered everything outstanding.
 */
import { describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { ackMachine } from '../machines/ack.ts';
import { byeMachine } from '../machines/bye.ts';
import { firstOkMachine } from '../machines/first-ok.ts';
import { inviteMachine } from '../machines/invite.ts';
import { memberLegMachine } from '../machines/member-leg.ts';
import { msrpSendMachine } from '../machines/msrp-send.ts';
import { sessionMachine } from '../machines/session.ts';
import { inviteClientTransaction, inviteServerTransaction, nonInviteClientTransaction, nonInviteServerTransaction } from '../machines/transactions/index.ts';
import { SessionInvariantError } from '../test/model/session-checks.ts';
import { timeoutFor } from './support/runs.ts';
import { anyScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';
import { trapsOf } from './support/way-out.ts';

const machines: AnyStateMachine[] = [
  sessionMachine, inviteMachine, memberLegMachine, firstOkMachine, ackMachine, msrpSendMachine, byeMachine,
  inviteClientTransaction, inviteServerTransaction, nonInviteClientTransaction, nonInviteServerTransaction,
];

/** A machine with each kind of trap the structural check must find. */
const trapped = createMachine({
  id: 'trapped',
  initial: 'waiting',
  states: {
    waiting: { on: { GO: 'looping', STOP: 'dead', END: 'done' } },
    looping: { on: { TICK: 'spinning' } },
    spinning: { on: { TICK: 'looping' } },
    dead: {},
    done: { type: 'final' },
  },
});

describe('session invariant 6: no state without a way out', () => {
  it('the structural check finds a dead end and a loop that never ends', () => {
    expect(trapsOf(trapped).map((t) => [t.state, t.why])).toEqual([
      ['trapped.looping', 'no final state is reachable from it'],
      ['trapped.spinning', 'no final state is reachable from it'],
      ['trapped.dead', 'no transition leaves it'],
    ]);
  });

  it.each(machines.map((m) => [m.id, m] as const))('every state of %s that is not final has a way out that can end', (_, machine) => {
    expect(trapsOf(machine)).toEqual([]);
  });

  it(
    'every run ends: once timers have fired and the world has answered everything outstanding, the session is released',
    () =>
      assertSessionProperty(anyScenario, ({ settled }) => {
        if (!settled.released) throw new SessionInvariantError('invariant 6: no state without a way out', settled.stuck ?? 'the session never ended');
      }),
    timeoutFor(),
  );
});
