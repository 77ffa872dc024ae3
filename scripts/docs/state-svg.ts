/**
 * A laid-out machine as SVG. Every state is a `<g class="state" data-state="<id>">` holding its
 * box, name, requirement IDs, clause and activities; every transition a `<g class="transition"
 * data-transition="<key>">` holding its route and label. The viewer and the tests find states and
 * transitions by these attributes; the classes give the legend's styles (rejecting branches red and
 * dashed, timer events blue, final states double-bordered).
 */
import type { DrawnState } from './machine-graph.ts';
import { lineHeight, PADDING_X, PADDING_Y, type LineRole, type TextBlock } from './state-box.ts';
import type { MachineLayout, PlacedState, PlacedTransition, Rect } from './state-layout.ts';
import { element, escapeXml, pathData, svgDocument, textElement, type Point } from './svg.ts';
import { FONT_FAMILY } from './text-metrics.ts';

const css = `
svg.machine-diagram { font-family: ${FONT_FAMILY}; background: #ffffff; }
.machine-diagram .state > rect { fill: #ffffff; stroke: #37474f; stroke-width: 1.2; }
.machine-diagram .state.composite > rect { fill: #f5f7fa; }
.machine-diagram .state.root > rect { fill: #fbfcfd; stroke: #90a4ae; }
.machine-diagram .state.rejection > rect { fill: #fff4f4; stroke: #c62828; }
.machine-diagram .state > rect.inner { fill: none; }
.machine-diagram .state > line { stroke: #b0bec5; }
.machine-diagram .initial { fill: #263238; }
.machine-diagram .initial-edge { fill: none; stroke: #263238; stroke-width: 1.2; }
.machine-diagram .transition path { fill: none; stroke: #455a64; stroke-width: 1.2; }
.machine-diagram .transition.rejecting path { stroke: #c62828; stroke-dasharray: 6 4; }
.machine-diagram .transition.timer path { stroke: #1565c0; }
.machine-diagram .transition rect { fill: #ffffff; fill-opacity: 0.88; }
.machine-diagram text { fill: #263238; }
.machine-diagram text.name { font-weight: bold; }
.machine-diagram text.description, .machine-diagram text.clause { fill: #607d8b; font-style: italic; }
.machine-diagram text.requirements, .machine-diagram tspan.requirements { fill: #6a1b9a; font-weight: bold; }
.machine-diagram text.activity, .machine-diagram text.actions { fill: #455a64; }
.machine-diagram .transition.rejecting text.trigger { fill: #c62828; }
.machine-diagram .transition.timer text.trigger { fill: #1565c0; }
.machine-diagram .legend text { fill: #455a64; }
`.trim();

/** Marker ids are unique per diagram: the viewer inlines every diagram in one page. */
const markerId = (machine: string, kind: string) => `${machine}-arrow-${kind}`;

const markers = (machine: string) => element('defs', {}, (['passing', 'rejecting', 'timer', 'eventless', 'initial'] as const).map((kind) =>
  element('marker', { id: markerId(machine, kind), viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, [
    element('path', { d: 'M0 0 L10 5 L0 10 z', fill: kind === 'rejecting' ? '#c62828' : kind === 'timer' ? '#1565c0' : '#37474f' }),
  ]),
));

function textLines(block: TextBlock, x: number, y: number, from = 0, to = block.lines.length): string[] {
  let baseline = y;
  return block.lines.slice(from, to).map((line) => {
    baseline += lineHeight(line);
    const attributes = {
      class: line.role satisfies LineRole,
      x,
      y: baseline - line.size * 0.3,
      'font-size': line.size,
      'data-transition': line.transition?.key,
      'data-requirements': line.transition && line.transition.requirements.length > 0 ? line.transition.requirements.join(' ') : undefined,
    };
    if (line.tail === undefined) return textElement('text', attributes, line.text);
    return element('text', attributes, [`${escapeXml(line.text)} `, textElement('tspan', { class: 'requirements' }, line.tail)]);
  });
}

function stateClasses(state: DrawnState): string {
  const classes = ['state', state.type === 'root' ? 'root' : state.children.length > 0 ? 'composite' : 'atomic'];
  if (state.type === 'final') classes.push('final');
  if (state.rejection) classes.push('rejection');
  return classes.join(' ');
}

function rectangle(rect: Rect, attributes: Record<string, string | number> = {}): string {
  return element('rect', { x: rect.x, y: rect.y, width: rect.width, height: rect.height, rx: 6, ...attributes });
}

function drawState(placed: PlacedState): string[] {
  const { state, box } = placed;
  const headerEnd = PADDING_Y + box.lines.slice(0, box.activitiesFrom).reduce((sum, l) => sum + lineHeight(l), 0);
  const x = placed.x + PADDING_X;
  const hasActivities = box.activitiesFrom < box.lines.length;
  const group = element(
    'g',
    {
      class: stateClasses(state),
      id: `state-${state.id}`,
      'data-state': state.type === 'root' ? undefined : state.id,
      'data-machine-root': state.type === 'root' ? state.id : undefined,
      'data-requirements': state.requirements.length > 0 ? state.requirements.join(' ') : undefined,
    },
    [
      textElement('title', {}, state.description ?? state.name),
      rectangle(placed),
      ...(state.type === 'final' ? [rectangle({ x: placed.x + 3, y: placed.y + 3, width: placed.width - 6, height: placed.height - 6 }, { class: 'inner', rx: 4 })] : []),
      ...textLines(box, x, placed.y + PADDING_Y, 0, box.activitiesFrom),
      ...(hasActivities
        ? [
            element('line', { x1: placed.x, y1: placed.y + headerEnd + 2, x2: placed.x + placed.width, y2: placed.y + headerEnd + 2 }),
            ...textLines(box, x, placed.y + headerEnd + 4, box.activitiesFrom),
          ]
        : []),
    ],
  );
  return [group, ...placed.children.flatMap(drawState)];
}

function drawTransition(machine: string, placed: PlacedTransition): string {
  const { transition, label } = placed;
  return element(
    'g',
    {
      class: `transition ${transition.kind}`,
      'data-transition': transition.key,
      'data-source': transition.source,
      'data-target': placed.target,
      'data-requirements': transition.requirements.length > 0 ? transition.requirements.join(' ') : undefined,
    },
    [
      textElement('title', {}, transition.description ?? transition.key),
      element('path', { d: pathData(placed.points), 'marker-end': `url(#${markerId(machine, transition.kind)})` }),
      ...(label ? [rectangle(label, { rx: 2 }), ...textLines(label.block, label.x + 2, label.y + 1)] : []),
    ],
  );
}

function drawInitial(machine: string, initial: MachineLayout['initials'][number]): string {
  const r = initial.width / 2;
  return element('g', { class: 'initial-state', 'data-initial-of': initial.parent }, [
    element('circle', { class: 'initial', cx: initial.x + r, cy: initial.y + r, r }),
    element('path', { class: 'initial-edge', d: pathData(initial.points), 'marker-end': `url(#${markerId(machine, 'initial')})` }),
  ]);
}

const LEGEND_HEIGHT = 28;

function legend(machine: string, y: number): string {
  const sample = (x: number, kind: string, text: string): string[] => [
    element('path', { d: pathData([{ x, y: y + 10 }, { x: x + 34, y: y + 10 }] satisfies Point[]), 'marker-end': `url(#${markerId(machine, kind)})` }),
    textElement('text', { x: x + 40, y: y + 14, 'font-size': 11 }, text),
  ];
  return element('g', { class: 'legend' }, [
    element('g', { class: 'transition passing' }, sample(12, 'passing', 'transition: EVENT [guard] / actions, then requirement IDs')),
    element('g', { class: 'transition rejecting' }, sample(390, 'rejecting', 'rejecting branch (final non-2xx answer)')),
    element('g', { class: 'transition timer' }, sample(680, 'timer', 'timer expiry event')),
  ]);
}

export function machineSvg(layout: MachineLayout): string {
  const width = Math.max(layout.width, 900);
  const height = layout.height + LEGEND_HEIGHT;
  const machine = layout.root.state.id;
  return svgDocument(width, height, css, { class: 'machine-diagram', 'data-machine': machine, role: 'img', 'aria-label': `State machine ${layout.root.state.name}` }, [
    markers(machine),
    element('g', { class: 'states' }, drawState(layout.root)),
    element('g', { class: 'initials' }, layout.initials.map((initial) => drawInitial(machine, initial))),
    element('g', { class: 'transitions' }, layout.transitions.map((transition) => drawTransition(machine, transition))),
    legend(machine, layout.height + 2),
  ]);
}

