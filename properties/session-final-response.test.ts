/**
 * Session invariant 1, over any combination of failing checks and any interleaving of the
 * originator, the XDMS, the members and the timers.
 */
import { describe, it } from 'vitest';
import { checkOneFinalResponse } from './support/final-response.ts';
import { timeoutFor } from './support/runs.ts';
import { anyScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';

describe('session invariant 1: the final response', () => {
  it(
    'the originator gets exactly one final response, the one prescribed for the first failing check (INV-1, INV-2, INV-4, INV-5, INV-6, offer, INV-10), whatever combination fails',
    () => assertSessionProperty(anyScenario, checkOneFinalResponse),
    timeoutFor(),
  );
});
