/** Session invariant 5 (BYE-3): nothing outlives the session. */
import { describe, it } from 'vitest';
import { checkNothingLeft } from './support/nothing-left.ts';
import { timeoutFor } from './support/runs.ts';
import { anyScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';

describe('session invariant 5: release', () => {
  it(
    'when the session ends nothing is left: no live child actor, no pending timer, no open connection or spool, release last (BYE-3)',
    () => assertSessionProperty(anyScenario, checkNothingLeft),
    timeoutFor(),
  );
});
