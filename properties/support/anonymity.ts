/**
 * Invariant 4: when the originator asked for anonymity (RFC 3323) and the group allowed it (INV-5),
 * nothing the CF sends towards a member — SIP or MSRP, any field — carries the originator's
 * identity: neither its address (in any spelling) nor the MSRP URI of its own endpoint
 * (open question 13).
 */
import { canonicalAddress } from '../../machines/group.ts';
import { SessionInvariantError } from '../../test/model/session-checks.ts';
import type { FinishedRun } from './session-property.ts';

const INVARIANT = "invariant 4: with anonymity allowed, nothing towards a member carries the originator's identity";

/** The strings that identify the originator: its user@host, and each MSRP URI of its offer. */
function identities({ scenario }: FinishedRun): string[] {
  const address = scenario.invite.authenticatedOriginator;
  const userAtHost = address === null ? [] : [canonicalAddress(address).replace(/^[a-z]+:/, '')];
  return [...userAtHost, ...(scenario.invite.offer?.path ?? [])].map((s) => s.toLowerCase());
}

export function checkAnonymity(run: FinishedRun): void {
  if (!run.scenario.invite.anonymityRequested) return;
  const secrets = identities(run);
  for (const [index, step] of run.world.trace.entries()) {
    if (!('effect' in step) || !/^(member|msrp)\./.test(step.effect.type)) continue;
    const text = JSON.stringify(step.effect).toLowerCase();
    const leaked = secrets.find((secret) => text.includes(secret));
    if (leaked !== undefined) throw new SessionInvariantError(INVARIANT, `step ${index}: ${step.effect.type} carries ${leaked}`);
    if (step.effect.type === 'member.invite' && step.effect.originator !== null) {
      throw new SessionInvariantError(INVARIANT, `step ${index}: the INVITE to leg ${step.effect.leg} names the originator ${step.effect.originator}`);
    }
  }
}
