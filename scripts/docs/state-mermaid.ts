/**
 * A machine as Mermaid `stateDiagram-v2` source, for code hosts that render it. Mermaid cannot draw
 * a transition between states of different composites, so each transition is written in the
 * innermost composite holding both ends, an end nested deeper being lifted to its ancestor there;
 * the label then names the real source and target.
 */
import { drawnStates, type DrawnMachine, type DrawnState, type DrawnTransition } from './machine-graph.ts';

/** Mermaid ids allow letters, digits and `_` only. */
function mermaidId(stateId: string): string {
  return stateId.replace(/[^A-Za-z0-9]/g, '_');
}

/** Mermaid reads `;` as a statement end and `:` as the start of a label or description. */
function mermaidText(text: string): string {
  return text.replace(/;/g, ',').replace(/:/g, ' -');
}

/** The requirement IDs after a transition's text, set off as the SVG sets them off by colour. */
function requirementsSuffix(transition: DrawnTransition): string {
  return transition.requirements.length > 0 ? ` · ${transition.requirements.join(' · ')}` : '';
}

function descriptions(state: DrawnState): string[] {
  const id = mermaidId(state.id);
  const internal = state.internal.map(
    (t) => `${t.trigger}${t.actions.length > 0 ? ` / ${t.actions.join(', ')}` : ''}${requirementsSuffix(t)}`,
  );
  return [
    ...(state.requirements.length > 0 ? [state.requirements.join(' · ')] : []),
    ...(state.clause ? [state.clause] : []),
    ...(state.entry.length > 0 ? [`entry / ${state.entry.join(', ')}`] : []),
    ...(state.exit.length > 0 ? [`exit / ${state.exit.join(', ')}`] : []),
    ...internal,
  ].map((text) => `${id} : ${mermaidText(text)}`);
}

function ancestry(stateId: string): string[] {
  const parts = stateId.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** The innermost state that strictly contains both ends, and each end lifted to its child there. */
function placement(transition: DrawnTransition, target: string): { container: string; from: string; to: string } {
  const sourceLine = ancestry(transition.source);
  const targetLine = ancestry(target);
  let depth = 0;
  while (depth < sourceLine.length - 1 && depth < targetLine.length - 1 && sourceLine[depth + 1] === targetLine[depth + 1]) depth++;
  const container = sourceLine[depth] ?? transition.source;
  const from = sourceLine[depth + 1] ?? transition.source;
  const to = targetLine[depth + 1] ?? target;
  return { container, from, to };
}

function label(transition: DrawnTransition, target: string, lifted: boolean): string {
  const actions = transition.actions.length > 0 ? ` / ${transition.actions.join(', ')}` : '';
  const route = lifted ? ` (${transition.source.split('.').at(-1)} → ${target.split('.').at(-1)})` : '';
  return mermaidText(`${transition.trigger}${actions}${route}${requirementsSuffix(transition)}`);
}

export function machineMermaid(machine: DrawnMachine): string {
  const byContainer = new Map<string, string[]>();
  for (const transition of machine.transitions) {
    for (const target of transition.targets) {
      const { container, from, to } = placement(transition, target);
      const lifted = from !== transition.source || to !== target;
      const line = `${mermaidId(from)} --> ${mermaidId(to)} : ${label(transition, target, lifted)}`;
      byContainer.set(container, [...(byContainer.get(container) ?? []), line]);
    }
  }
  const body = (state: DrawnState, indent: string): string[] => {
    const inner = `${indent}  `;
    const children = state.children.flatMap((child) => {
      const declaration = `${inner}state "${child.name}" as ${mermaidId(child.id)}`;
      const nested = child.children.length > 0 ? [`${inner}state ${mermaidId(child.id)} {`, ...body(child, inner), `${inner}}`] : [];
      return [declaration, ...nested, ...descriptions(child).map((d) => `${inner}${d}`)];
    });
    const initial = state.initial === undefined ? [] : [`${inner}[*] --> ${mermaidId(state.initial)}`];
    const finals = state.children.filter((c) => c.type === 'final').map((c) => `${inner}${mermaidId(c.id)} --> [*]`);
    return [...children, ...initial, ...(byContainer.get(state.id) ?? []).map((l) => `${inner}${l}`), ...finals];
  };
  const rejections = drawnStates(machine).filter((s) => s.rejection).map((s) => mermaidId(s.id));
  return [
    '---',
    `title: ${mermaidText(machine.name)}`,
    '---',
    'stateDiagram-v2',
    ...body(machine.root, ''),
    ...(rejections.length > 0 ? ['  classDef rejection fill:#fff4f4,stroke:#c62828,color:#b71c1c', `  class ${rejections.join(',')} rejection`] : []),
    '',
  ].join('\n');
}
