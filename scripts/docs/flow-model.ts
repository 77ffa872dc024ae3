/**
 * A scenario as a call flow: its participants and, in order, each event's arrow followed by what the
 * CF did about it. A note naming step IDs (and RFC clauses) precedes the effects of each macrostep
 * that carries them (see `flow-trace.ts`); the reactions that sent nothing (the session handing an
 * event to a block, a block moving on) are named where they began, so a step that happens without
 * a message (a SEND spooled while no member is connected yet) still shows. Consecutive timer notes
 * are merged, as a reader takes them in at once.
 */
import type { RequirementId } from '../../machines/requirements.ts';
import type { Scenario } from '../../test/model/scenarios.ts';
import { effectItem, eventItem, CF, memberLane, ORIGINATOR, XDMS, type FlowItem } from './flow-messages.ts';
import { inCatalogueOrder, traceFlow, type Macrostep, type TracedStep } from './flow-trace.ts';

export interface Participant {
  id: string;
  title: string;
  subtitle: string;
}

export interface CallFlow {
  scenario: Scenario;
  participants: Participant[];
  items: FlowItem[];
  /** Every requirement ID a note of the flow names, in catalogue order. */
  requirements: RequirementId[];
  /** Every state of every machine the session's actors were in. */
  states: string[];
}

function stepsNote(requirements: RequirementId[], clauses: string[]): FlowItem {
  const lines = [...(requirements.length > 0 ? [requirements.join(' · ')] : []), ...(clauses.length > 0 ? [clauses.join(', ')] : [])];
  return { kind: 'note', over: CF, role: 'steps', lines, requirements };
}

/**
 * The event's arrow, then, in the order they happened, the CF's effects, each macrostep's note
 * before its first effect and the notes of silent macrosteps where they began. Notes with nothing
 * between them become one; a note naming only what this event's notes already named is left out.
 */
function stepItems(step: TracedStep): FlowItem[] {
  const emitting = new Set(step.effects.map((e) => e.macrostep));
  const happenings = [
    ...step.macrosteps.filter((m) => !emitting.has(m)).map((macrostep) => ({ at: macrostep.began, macrostep, effect: undefined })),
    ...step.effects.map(({ effect, macrostep, at }) => ({ at, macrostep, effect })),
  ].sort((a, b) => a.at - b.at);
  const items: FlowItem[] = [eventItem(step.event)];
  const named = new Set<string>();
  let pending: Macrostep[] = [];
  let previous: Macrostep | undefined;
  const flush = (): void => {
    const requirements = inCatalogueOrder(pending.flatMap((m) => m.requirements));
    const clauses = [...new Set(pending.flatMap((m) => m.clauses))];
    pending = [];
    const names = [...requirements, ...clauses];
    if (names.every((n) => named.has(n))) return;
    names.forEach((n) => named.add(n));
    items.push(stepsNote(requirements, clauses));
  };
  for (const { macrostep, effect } of happenings) {
    if (macrostep !== previous) pending.push(macrostep);
    previous = macrostep;
    if (effect === undefined) continue;
    flush();
    items.push(effectItem(effect));
  }
  flush();
  return items;
}

function mergeTimerNotes(items: readonly FlowItem[]): FlowItem[] {
  const merged: FlowItem[] = [];
  for (const item of items) {
    const last = merged.at(-1);
    if (item.kind === 'note' && item.role === 'timer' && last?.kind === 'note' && last.role === 'timer') {
      merged[merged.length - 1] = { ...last, lines: [...last.lines, ...item.lines] };
    } else {
      merged.push(item);
    }
  }
  return merged;
}

function participantsOf(scenario: Scenario, steps: readonly TracedStep[]): Participant[] {
  const invite = scenario.events.find((e) => e.type === 'INVITE');
  const originator = invite?.type === 'INVITE' ? invite.invite.authenticatedOriginator ?? 'unauthenticated' : '';
  const effects = steps.flatMap((s) => s.effects.map((e) => e.effect));
  const asksXdms = effects.some((e) => e.type === 'xdm.fetchGroupDocument');
  const members = effects.flatMap((e) => (e.type === 'member.invite' ? [{ id: memberLane(e.leg), title: `Member ${e.leg + 1}`, subtitle: e.member.uri }] : []));
  return [
    { id: ORIGINATOR, title: 'Originator', subtitle: originator },
    { id: CF, title: 'CPM Controlling Function', subtitle: 'cpm-cf' },
    ...(asksXdms ? [{ id: XDMS, title: 'XDMS', subtitle: 'Shared Group XDM' }] : []),
    ...members,
  ];
}

function mentions(flow: CallFlow, id: RequirementId): number {
  return flow.items.filter((item) => item.kind === 'note' && item.requirements.includes(id)).length;
}

/**
 * The flows whose notes name `id`, those naming it most often first: every flow passes INV-1, and
 * a rejected INVITE still ends through the BYE block (BYE-2 with no leg to end), so the flows where
 * a step is the story come before those where it is only passed.
 */
export function flowsShowing(flows: readonly CallFlow[], id: RequirementId): CallFlow[] {
  return flows
    .map((flow, index) => ({ flow, index, count: mentions(flow, id) }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count || a.index - b.index)
    .map(({ flow }) => flow);
}

export function callFlow(scenario: Scenario): CallFlow {
  const steps = traceFlow(scenario.events);
  const items = mergeTimerNotes(steps.flatMap(stepItems));
  const requirements = inCatalogueOrder(items.flatMap((item) => (item.kind === 'note' ? item.requirements : [])));
  const states = [...new Set(steps.flatMap((s) => s.macrosteps.flatMap((m) => m.states)))].sort();
  return { scenario, participants: participantsOf(scenario, steps), items, requirements, states };
}
