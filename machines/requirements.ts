/**
 * The requirement catalogue: one entry per numbered step of the CR (clause 9.1.1.x, "Large Message
 * Mode CPM Message to CPM Pre-defined Group"), with the IDs of `spec/READING.md`. Machines carry these
 * IDs in `meta.requirements`; the conformance report and the docs are generated from both.
 */

export type RequirementId =
  | 'INV-1' | 'INV-2' | 'INV-3' | 'INV-4' | 'INV-5' | 'INV-6' | 'INV-7' | 'INV-8' | 'INV-9' | 'INV-10'
  | 'OK-1' | 'OK-2' | 'OK-3' | 'OK-4' | 'OK-5' | 'OK-6' | 'OK-7'
  | 'ACK-1'
  | 'SEND-1'
  | 'BYE-1' | 'BYE-2' | 'BYE-3';

export type Block = 'INVITE' | 'first 200 OK' | 'ACK' | 'MSRP SEND' | 'BYE';

export interface Requirement {
  id: RequirementId;
  block: Block;
  /** The step's number inside its block of the CR. */
  step: number;
  level: 'SHALL' | 'SHOULD' | 'empty';
  /** Our one-line reading; the CR's text stays normative. */
  summary: string;
  /** Numbers of the open questions of READING.md this step touches (answered in docs/spec-findings.md). */
  openQuestions: number[];
}

export const requirements: readonly Requirement[] = [
  { id: 'INV-1', block: 'INVITE', step: 1, level: 'SHALL', openQuestions: [1, 3],
    summary: "Authorize the Authenticated Originator's CPM Address against the group's rules; else 403 with Warning 'Service not authorised'." },
  { id: 'INV-2', block: 'INVITE', step: 2, level: 'SHALL', openQuestions: [1],
    summary: 'Check that the group in the Request-URI lists the CPM Large Message Mode service in <supported-services>; else 404.' },
  { id: 'INV-3', block: 'INVITE', step: 3, level: 'empty', openQuestions: [2],
    summary: 'Empty in the CR: nothing to realise.' },
  { id: 'INV-4', block: 'INVITE', step: 4, level: 'SHALL', openQuestions: [15],
    summary: 'When a User-Agent version is required and the request\'s is not supported, 403 with Error-Info.' },
  { id: 'INV-5', block: 'INVITE', step: 5, level: 'SHALL', openQuestions: [13],
    summary: "When anonymity (RFC 3323 privacy) is requested but not allowed by <allow-anonymity>, 403 with Warning 'Anonymity not allowed'." },
  { id: 'INV-6', block: 'INVITE', step: 6, level: 'SHOULD', openQuestions: [12],
    summary: 'Handle Session-Expires per RFC 4028: 422 with Min-SE when too small, else settle the interval and the refresher.' },
  { id: 'INV-7', block: 'INVITE', step: 7, level: 'SHALL', openQuestions: [4],
    summary: 'Act as the conference focus (RFC 4353) of the group session.' },
  { id: 'INV-8', block: 'INVITE', step: 8, level: 'SHALL', openQuestions: [13],
    summary: 'Act as a B2BUA (RFC 3261) for the whole session: one dialog towards the originator, one per member.' },
  { id: 'INV-9', block: 'INVITE', step: 9, level: 'SHALL', openQuestions: [1, 14],
    summary: 'Take the members from the Shared Group XDM document (de-duplicated, the originator left out).' },
  { id: 'INV-10', block: 'INVITE', step: 10, level: 'SHALL', openQuestions: [7, 14],
    summary: 'Send an INVITE towards each member (TS clause 9.1.2.X), the CF as UAC.' },
  { id: 'OK-1', block: 'first 200 OK', step: 1, level: 'SHALL', openQuestions: [6],
    summary: 'On the first member 200 OK, generate a 200 OK (RFC 3261) for the originator.' },
  { id: 'OK-2', block: 'first 200 OK', step: 2, level: 'SHALL', openQuestions: [4],
    summary: "Answer with the member's SDP, anchored at the CF: its media line, accept-types and max-size with the CF's own a=path." },
  { id: 'OK-3', block: 'first 200 OK', step: 3, level: 'SHALL', openQuestions: [15],
    summary: 'Put the CPM release version in the Server header.' },
  { id: 'OK-4', block: 'first 200 OK', step: 4, level: 'SHOULD', openQuestions: [],
    summary: 'Include Allow with every method the CF supports.' },
  { id: 'OK-5', block: 'first 200 OK', step: 5, level: 'SHALL', openQuestions: [],
    summary: "Put a URI of the CF's own in Contact." },
  { id: 'OK-6', block: 'first 200 OK', step: 6, level: 'SHALL', openQuestions: [],
    summary: 'Mark the Contact with the isfocus feature parameter (RFC 3840).' },
  { id: 'OK-7', block: 'first 200 OK', step: 7, level: 'SHALL', openQuestions: [],
    summary: 'Send the 200 OK per the SIP/IP Core procedures (retransmitted until ACK, RFC 3261 §13.3.1.4).' },
  { id: 'ACK-1', block: 'ACK', step: 1, level: 'SHALL', openQuestions: [5, 6],
    summary: "On the originator's ACK, connect MSRP over TCP to each accepted member per its answer SDP." },
  { id: 'SEND-1', block: 'MSRP SEND', step: 1, level: 'SHALL', openQuestions: [6, 11],
    summary: 'Relay every SEND towards each member over its established connection.' },
  { id: 'BYE-1', block: 'BYE', step: 1, level: 'SHALL', openQuestions: [],
    summary: "Answer the sender's BYE with 200 OK (RFC 3261 §15.1.2, 3GPP TS 24.229)." },
  { id: 'BYE-2', block: 'BYE', step: 2, level: 'SHALL', openQuestions: [9],
    summary: 'End every member leg: BYE when confirmed (after draining its copy), CANCEL when still pending.' },
  { id: 'BYE-3', block: 'BYE', step: 3, level: 'SHALL', openQuestions: [10],
    summary: 'Release every resource of the group session: legs, connections, spools, timers.' },
];

const byId = new Map(requirements.map((r) => [r.id, r]));

export function requirement(id: RequirementId): Requirement {
  const found = byId.get(id);
  if (!found) throw new Error(`Unknown requirement ID '${id}': add it to machines/requirements.ts`);
  return found;
}

/** Open questions of READING.md, numbered as there, for the docs' links. */
export const openQuestions: Readonly<Record<number, string>> = {
  1: 'Order of fetching the group document; what an unauthorized requester learns (403 vs 404)',
  2: 'INV-3 is empty',
  3: "Where the Authenticated Originator's CPM Address comes from",
  4: 'OK-2 taken literally bypasses the CF: media anchoring',
  5: 'Which ACK ACK-1 means, and who opens which TCP connection',
  6: 'Members whose 200 OK arrives after the first one or after SENDs were relayed',
  7: 'No member accepts, or the group is empty',
  8: 'The originator CANCELs before any member answered',
  9: 'BYE-2 for pending legs (CANCEL) and legs still delivering (drain, then BYE)',
  10: 'A member sends BYE; the last member leaves',
  11: 'MSRP Success-Report / Failure-Report across the fan-out',
  12: 'Session refresh and expiry (RFC 4028) on both sides of the B2BUA',
  13: 'What members see of an anonymous originator',
  14: 'The originator as a member; duplicates; non-CPM members',
  15: 'The format of User-Agent and Server',
};
