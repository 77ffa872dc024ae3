/**
 * The side panel: what the reviewer clicked, explained — a state's requirement IDs with our
 * summary, its transitions and the call flows that pass through it; a step of the CR with the
 * states, transitions and call flows that realise it; a call flow with the steps it shows.
 */
import type { ViewerData, ViewerRequirement, ViewerState, ViewerTransition } from './data.ts';
import { h } from './dom.ts';
import { href, type Route } from './routes.ts';

export class Panels {
  private readonly requirements: Map<string, ViewerRequirement>;
  private readonly transitionList: ViewerTransition[];

  constructor(private readonly data: ViewerData) {
    this.requirements = new Map(data.requirements.map((r) => [r.id, r]));
    this.transitionList = Object.values(data.transitions);
  }

  private link(route: Route, text: string, className = ''): HTMLAnchorElement {
    return h('a', { href: href(route), ...(className ? { class: className } : {}) }, text);
  }

  private requirementChip(id: string): HTMLElement {
    const requirement = this.requirements.get(id);
    return h('li', { class: 'requirement' },
      this.link({ kind: 'requirement', id }, id, 'chip'),
      requirement ? h('span', { class: 'summary' }, ` ${requirement.summary}`) : null);
  }

  private stateName(id: string): string {
    return this.data.states[id]?.name ?? id;
  }

  private transitionItem(transition: ViewerTransition, direction: 'out' | 'in' | 'internal'): HTMLElement {
    const other =
      direction === 'out' ? transition.targets.map((t) => `→ ${this.stateName(t)}`).join(', ')
        : direction === 'in' ? `← ${this.stateName(transition.source)}`
          : 'stays';
    return h('li', {},
      this.link({ kind: 'transition', key: transition.key }, transition.label, 'transition-label'),
      h('span', { class: 'muted' }, ` ${other}`),
      transition.requirements.length > 0 ? h('span', { class: 'ids' }, ` ${transition.requirements.join(' · ')}`) : null,
      transition.clause ? h('span', { class: 'clause' }, ` ${transition.clause}`) : null);
  }

  private flowList(names: readonly string[]): HTMLElement {
    if (names.length === 0) return h('p', { class: 'muted' }, 'No call flow passes here.');
    return h('ul', { class: 'flows' }, names.map((name) => {
      const flow = this.data.flows.find((f) => f.name === name);
      return h('li', {}, this.link({ kind: 'flow', name }, flow?.title ?? name));
    }));
  }

  private section(title: string, ...content: (Node | null)[]): HTMLElement {
    return h('section', {}, h('h3', {}, title), ...content);
  }

  home(): HTMLElement {
    return h('div', {},
      h('h2', {}, 'CR 9.1.1.x at the Controlling Function'),
      h('p', {}, 'Large Message Mode CPM Message to a CPM Pre-defined Group, as the state machines of cpm-cf realise it. Everything here is generated from the machines and the model-based paths.'),
      h('ol', { class: 'howto' },
        h('li', {}, 'Pick a step of the CR on the left: its states, transitions and call flows are listed here and highlighted in the diagrams.'),
        h('li', {}, 'Click a state in a diagram: its requirement IDs, transitions and the call flows that pass through it appear here.'),
        h('li', {}, 'Type a step ID (INV-5) or part of a state name in the search box to see where it lives.')),
      h('p', { class: 'legend' },
        h('span', { class: 'swatch rejecting' }), ' rejecting branch  ',
        h('span', { class: 'swatch timer' }), ' timer event  ',
        h('span', { class: 'swatch final' }), ' final state'));
  }

  machine(name: string): HTMLElement {
    const machine = this.data.machines.find((m) => m.name === name);
    if (!machine) return this.notFound(`machine ${name}`);
    return h('div', {},
      h('p', { class: 'kicker' }, machine.group),
      h('h2', {}, machine.name),
      machine.description ? h('p', {}, machine.description) : null,
      this.section('States', h('ul', { class: 'states' }, machine.states.map((id) => {
        const state = this.data.states[id];
        return h('li', {}, this.link({ kind: 'state', id }, state?.name ?? id),
          state && state.requirements.length > 0 ? h('span', { class: 'ids' }, ` ${state.requirements.join(' · ')}`) : null);
      }))));
  }

  state(state: ViewerState): HTMLElement {
    const outgoing = this.transitionList.filter((t) => t.source === state.id && t.targets.length > 0);
    const internal = this.transitionList.filter((t) => t.source === state.id && t.targets.length === 0);
    const incoming = this.transitionList.filter((t) => t.targets.includes(state.id));
    return h('div', { class: 'state-panel', 'data-panel-state': state.id },
      h('p', { class: 'kicker' }, this.link({ kind: 'machine', name: state.machine }, `machine ${state.machine}`)),
      h('h2', {}, state.name),
      h('p', { class: 'muted mono' }, state.id),
      state.description ? h('p', {}, state.description) : null,
      state.clause ? h('p', { class: 'clause' }, `Follows ${state.clause}`) : null,
      this.section('Requirements', state.requirements.length > 0
        ? h('ul', { class: 'requirements' }, state.requirements.map((id) => this.requirementChip(id)))
        : h('p', { class: 'muted' }, 'This state carries no step of the CR (see its clause or its transitions).')),
      state.entry.length + state.exit.length > 0
        ? this.section('Activities', h('ul', {},
          state.entry.length > 0 ? h('li', {}, `entry / ${state.entry.join(', ')}`) : null,
          state.exit.length > 0 ? h('li', {}, `exit / ${state.exit.join(', ')}`) : null))
        : null,
      this.section('Transitions',
        h('ul', { class: 'transitions' },
          outgoing.map((t) => this.transitionItem(t, 'out')),
          internal.map((t) => this.transitionItem(t, 'internal')),
          incoming.map((t) => this.transitionItem(t, 'in')))),
      this.section('Call flows through this state', this.flowList(state.flows)));
  }

  transition(transition: ViewerTransition): HTMLElement {
    return h('div', {},
      h('p', { class: 'kicker' }, this.link({ kind: 'machine', name: transition.machine }, `machine ${transition.machine}`)),
      h('h2', { class: 'mono' }, transition.label),
      h('p', {}, this.link({ kind: 'state', id: transition.source }, this.stateName(transition.source)),
        transition.targets.length > 0 ? ' → ' : ' (internal)',
        ...transition.targets.map((t) => this.link({ kind: 'state', id: t }, this.stateName(t)))),
      transition.description ? h('p', {}, transition.description) : null,
      transition.clause ? h('p', { class: 'clause' }, `Follows ${transition.clause}`) : null,
      this.section('Requirements', transition.requirements.length > 0
        ? h('ul', { class: 'requirements' }, transition.requirements.map((id) => this.requirementChip(id)))
        : h('p', { class: 'muted' }, 'No step of the CR.')),
      h('p', { class: 'muted mono small' }, transition.key));
  }

  requirement(requirement: ViewerRequirement): HTMLElement {
    const transitions = requirement.transitions.map((key) => this.data.transitions[key]).filter((t): t is ViewerTransition => t !== undefined);
    return h('div', { class: 'requirement-panel', 'data-panel-requirement': requirement.id },
      h('p', { class: 'kicker' }, `${requirement.block}, step ${requirement.step} · ${requirement.level}`),
      h('h2', {}, requirement.id),
      h('p', {}, requirement.summary),
      h('p', { class: 'muted' }, `${requirement.paths} generated model-based paths pass through it.`),
      this.section('Realised by the states', requirement.states.length > 0
        ? h('ul', { class: 'states' }, requirement.states.map((id) => h('li', {}, this.link({ kind: 'state', id }, this.stateName(id)), h('span', { class: 'muted' }, ` ${this.data.states[id]?.machine ?? ''}`))))
        : h('p', { class: 'muted' }, 'No state: the step is empty in the CR.')),
      this.section('Shown in the call flows', this.flowList(requirement.flows)),
      transitions.length > 0 ? this.section('And the transitions', h('ul', { class: 'transitions' }, transitions.map((t) => this.transitionItem(t, 'out')))) : null,
      requirement.openQuestions.length > 0
        ? this.section('Open questions', h('ul', {}, requirement.openQuestions.map((q) => h('li', {}, h('a', { href: q.href }, `Q${q.number}`), ` ${q.title}`))))
        : null);
  }

  flow(name: string): HTMLElement {
    const flow = this.data.flows.find((f) => f.name === name);
    if (!flow) return this.notFound(`call flow ${name}`);
    const machines = [...new Set(flow.states.map((id) => this.data.states[id]?.machine ?? ''))].filter((m) => m !== '');
    return h('div', {},
      h('p', { class: 'kicker' }, `call flow · final answer ${flow.answer}`),
      h('h2', {}, flow.title),
      h('p', {}, flow.summary),
      this.section('Steps of the CR it shows', h('ul', { class: 'requirements' }, flow.requirements.map((id) => this.requirementChip(id)))),
      this.section('Machines it runs through', h('ul', {}, machines.map((m) => h('li', {}, this.link({ kind: 'machine', name: m }, m))))));
  }

  searchResults(text: string, states: readonly string[]): HTMLElement {
    return h('div', {},
      h('h2', {}, `States matching “${text}”`),
      states.length > 0
        ? h('ul', { class: 'states' }, states.map((id) => h('li', {}, this.link({ kind: 'state', id }, id))))
        : h('p', { class: 'muted' }, 'No state and no step ID matches.'));
  }

  notFound(what: string): HTMLElement {
    return h('p', { class: 'muted' }, `No ${what} in these docs.`);
  }
}
