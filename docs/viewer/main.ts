/**
 * The viewer of `docs/site/index.html`: reads the data the generator embedded, follows the hash
 * route (a machine, a state, a transition, a step of the CR, a call flow), turns clicks on the
 * diagrams into routes and the search box into highlights. No network, no framework: it opens from
 * `file://`.
 */
import type { ViewerData } from './data.ts';
import { all, one } from './dom.ts';
import { clearHighlight, highlightRequirement, highlightStates } from './highlight.ts';
import { Panels } from './panels.ts';
import { href, parseRoute, type Route } from './routes.ts';
import { currentView, revealFirstHit, select, setZoom, showView } from './views.ts';

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`viewer: the page has no ${what}; regenerate it with npm run docs`);
  return value;
}

const data = JSON.parse(required(one('#viewer-data'), 'embedded data').textContent ?? '') as ViewerData;
const panels = new Panels(data);
const panel = required(one<HTMLElement>('#panel'), 'side panel');
const search = required(one<HTMLInputElement>('#search'), 'search box');
const stage = required(one<HTMLElement>('#stage'), 'stage');
const HOME_VIEW = 'machine/session';

function showPanel(content: HTMLElement): void {
  panel.replaceChildren(content);
  panel.scrollTop = 0;
}

function go(route: Route): void {
  const target = href(route);
  if (location.hash === target) render();
  else location.hash = target;
}

function showRequirement(id: string): void {
  const requirement = data.requirements.find((r) => r.id === id);
  if (!requirement) {
    showPanel(panels.notFound(`step ${id}`));
    return;
  }
  search.value = requirement.id;
  highlightRequirement(requirement.id);
  // Stay on the diagram in view if the step lives there; otherwise go to where it lives first.
  const firstState = requirement.states[0];
  const home = firstState === undefined ? undefined : data.states[firstState]?.machine;
  const view = currentView();
  if ((view === null || !one('.hit', view)) && home !== undefined) showView(`machine/${home}`);
  select(null);
  revealFirstHit();
  showPanel(panels.requirement(requirement));
}

function render(): void {
  const route = parseRoute(location.hash);
  switch (route.kind) {
    case 'home':
      showView(HOME_VIEW);
      select(null);
      showPanel(panels.home());
      return;
    case 'machine':
      showView(`machine/${route.name}`);
      select(null);
      showPanel(panels.machine(route.name));
      return;
    case 'state': {
      const state = data.states[route.id];
      if (!state) return showPanel(panels.notFound(`state ${route.id}`));
      showView(`machine/${state.machine}`);
      select('data-state', state.id);
      showPanel(panels.state(state));
      return;
    }
    case 'transition': {
      const transition = data.transitions[route.key];
      if (!transition) return showPanel(panels.notFound(`transition ${route.key}`));
      showView(`machine/${transition.machine}`);
      select('data-transition', transition.key);
      showPanel(panels.transition(transition));
      return;
    }
    case 'requirement':
      showRequirement(route.id);
      return;
    case 'flow':
      showView(`flow/${route.name}`);
      select(null);
      revealFirstHit();
      showPanel(panels.flow(route.name));
      return;
  }
}

function onSearch(): void {
  const text = search.value.trim();
  if (text === '') {
    clearHighlight();
    return;
  }
  const requirement = data.requirements.find((r) => r.id.toLowerCase() === text.toLowerCase());
  if (requirement) {
    go({ kind: 'requirement', id: requirement.id });
    return;
  }
  const states = highlightStates(text);
  const first = states[0];
  const view = currentView();
  if (first !== undefined && (view === null || !one('.hit', view))) showView(`machine/${data.states[first]?.machine ?? ''}`);
  revealFirstHit();
  showPanel(panels.searchResults(text, states));
}

/** What a click or Enter on a diagram element opens: a transition, a state, or a note's first step. */
function routeOf(target: Element): Route | undefined {
  const transition = target.closest('[data-transition]');
  if (transition) return { kind: 'transition', key: transition.getAttribute('data-transition') ?? '' };
  const state = target.closest('[data-state]');
  if (state) return { kind: 'state', id: state.getAttribute('data-state') ?? '' };
  const note = target.closest('.note[data-requirements]');
  const id = note?.getAttribute('data-requirements')?.split(' ')[0];
  return id === undefined ? undefined : { kind: 'requirement', id };
}

stage.addEventListener('click', (event) => {
  const target = event.target as Element;
  const zoom = target.closest<HTMLElement>('[data-zoom]');
  const view = currentView();
  if (zoom && view) return setZoom(view, zoom.dataset['zoom'] === 'fit');
  const route = routeOf(target);
  if (route) go(route);
});
stage.addEventListener('keydown', (event) => {
  const route = event.key === 'Enter' ? routeOf(event.target as Element) : undefined;
  if (route) go(route);
});
for (const element of all('[data-state], [data-transition], .note[data-requirements]', stage)) element.setAttribute('tabindex', '0');
search.addEventListener('input', onSearch);
window.addEventListener('hashchange', render);
render();
