/** Session invariant 3: the originator's bytes reach every accepting member, and only over an established connection. */
import { describe, expect, it } from 'vitest';
import { addresses, groups, invite, msrpMedia, policy } from '../test/model/fixtures.ts';
import { checkMsrpDelivery } from './support/msrp-delivery.ts';
import { timeoutFor } from './support/runs.ts';
import { admittedScenario } from './support/scenarios.ts';
import { assertSessionProperty, runStory } from './support/session-property.ts';

describe('session invariant 3: MSRP delivery', () => {
  it(
    "no MSRP data before a leg's connection is established, and every accepting member — late joiners and slow members included — gets exactly the originator's bytes in order before its BYE, or is reported as failed",
    () => assertSessionProperty(admittedScenario, (run) => checkMsrpDelivery(run)),
    timeoutFor(),
  );

  // The shrunk counterexample this property found: memberLeg sent BYE to a leg still connecting
  // its MSRP when the originator left, and the member never got its copy (open question 9).
  it('regression: a member still connecting its MSRP when the originator says BYE still gets its copy', async () => {
    const group = { ...groups.friends, members: [{ uri: addresses.bob }, { uri: addresses.dave }] };
    const reports = { successReport: false, failureReport: 'yes' } as const;
    const run = await runStory({ policy, invite: invite(), xdms: { kind: 'found', group }, reports }, [
      { by: 'xdms', answer: { kind: 'found', group } },
      { by: 'member', leg: 0, act: 'ANSWER', answer: { kind: 'accept', answer: msrpMedia('msrp://member.example.net:9000/p;tcp') } },
      { by: 'originator', act: 'ACK' },
      { by: 'originator', act: 'SEND', chunk: { bytes: Buffer.from([0x2a]), flag: '+', ...reports } },
      { by: 'originator', act: 'BYE' },
    ]);
    expect(run.settled.released).toBe(true);
    expect(() => checkMsrpDelivery(run)).not.toThrow();
  });
});
