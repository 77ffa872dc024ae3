/** Session invariant 4: an allowed anonymous originator stays anonymous towards every member. */
import { describe, it } from 'vitest';
import { checkAnonymity } from './support/anonymity.ts';
import { timeoutFor } from './support/runs.ts';
import { anonymousScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';

describe('session invariant 4: anonymity', () => {
  it(
    "with anonymity allowed, no message towards a member carries the originator's identity",
    () => assertSessionProperty(anonymousScenario, checkAnonymity),
    timeoutFor(),
  );
});
