/** Session invariant 2: what the CF may send each member, under any interleaving. */
import { describe, it } from 'vitest';
import { checkMemberRequests } from './support/member-requests.ts';
import { timeoutFor } from './support/runs.ts';
import { admittedScenario } from './support/scenarios.ts';
import { assertSessionProperty } from './support/session-property.ts';

describe('session invariant 2: requests towards members', () => {
  it(
    'every member gets one INVITE, a pending INVITE one CANCEL, a confirmed dialog one BYE unless the member left, and no request out of state',
    () => assertSessionProperty(admittedScenario, checkMemberRequests),
    timeoutFor(),
  );
});
