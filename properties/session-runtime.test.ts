/**
 * Session invariants 1 to 3, and 5, against the runtime: the same scenarios and world commands as the
 * machine properties, carried as real SIP and MSRP to the CF on loopback sockets
 * (`support/socket-executor.ts`). Fewer runs than against the machines, each one a CF of its own.
 */
import { describe, it } from 'vitest';
import { checkOneFinalResponse } from './support/final-response.ts';
import { checkMemberRequests } from './support/member-requests.ts';
import { checkMsrpDelivery } from './support/msrp-delivery.ts';
import { checkNothingLeft } from './support/nothing-left.ts';
import { timeoutFor } from './support/runs.ts';
import { admittedScenario, anyScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';
import { socketExecutor } from './support/socket-executor.ts';

const RUNS = 50;
const options = { executor: socketExecutor, runs: RUNS };
// A run takes tens of milliseconds; one that fails and shrinks may wait out its bounded waits.
const timeout = timeoutFor(RUNS, 2000);

describe('session invariants 1 to 3 against the runtime', () => {
  it(
    'invariant 1: the originator gets exactly one final response, the one prescribed for the first failing check, against the CF on loopback sockets',
    () => assertSessionProperty(anyScenario, checkOneFinalResponse, options),
    timeout,
  );

  it(
    'invariant 2: every member gets one INVITE, a pending INVITE one CANCEL, a confirmed dialog one BYE unless the member left, and no request out of state, against the CF on loopback sockets',
    () => assertSessionProperty(admittedScenario, checkMemberRequests, options),
    timeout,
  );

  it(
    "invariant 3: no MSRP data before a leg's connection is established, and every accepting member gets exactly the originator's bytes in order before its BYE or is reported failed, against the CF on loopback sockets",
    () => assertSessionProperty(admittedScenario, checkMsrpDelivery, options),
    timeout,
  );

  it(
    'invariant 5: when the session ends nothing is left: no session, MSRP session or connection, XCAP fetch or timer, release last (BYE-3), against the CF on loopback sockets',
    () => assertSessionProperty(anyScenario, checkNothingLeft, options),
    timeout,
  );
});
