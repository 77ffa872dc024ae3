/**
 * A call flow as an SVG message sequence chart: one lifeline per participant, arrows top to bottom
 * in the order things happened, notes on the CF's lifeline. Lanes are spaced so that every label
 * fits between the lifelines it joins. Each arrow is a `<g class="message">` and each note a
 * `<g class="note" data-requirements="…">`, so the viewer can highlight where a step happens.
 */
import type { FlowItem } from './flow-messages.ts';
import type { CallFlow, Participant } from './flow-model.ts';
import { element, pathData, svgDocument, textElement } from './svg.ts';
import { FONT_FAMILY, textWidth, wrapText } from './text-metrics.ts';

const css = `
svg.flow-diagram { font-family: ${FONT_FAMILY}; background: #ffffff; }
.flow-diagram text { fill: #263238; }
.flow-diagram .title { font-weight: bold; }
.flow-diagram .summary { fill: #546e7a; font-style: italic; }
.flow-diagram .participant rect { fill: #eceff1; stroke: #455a64; stroke-width: 1.2; }
.flow-diagram .participant.cf rect { fill: #e3f2fd; stroke: #1565c0; }
.flow-diagram .participant .name { font-weight: bold; }
.flow-diagram .participant .uri { fill: #546e7a; }
.flow-diagram .lifeline { stroke: #90a4ae; stroke-dasharray: 4 4; }
.flow-diagram .lifeline.cf { stroke: #1565c0; stroke-dasharray: none; stroke-width: 2; }
.flow-diagram .message path { fill: none; stroke: #37474f; stroke-width: 1.3; }
.flow-diagram .message.response path { stroke-dasharray: 6 3; }
.flow-diagram .message.media path { stroke: #00796b; }
.flow-diagram .message .header { fill: #546e7a; }
.flow-diagram .message.media text { fill: #00695c; }
.flow-diagram .note rect { stroke-width: 1; }
.flow-diagram .note.steps rect { fill: #f3e5f5; stroke: #8e24aa; }
.flow-diagram .note.steps text.ids { fill: #6a1b9a; font-weight: bold; }
.flow-diagram .note.steps text.clauses { fill: #6d4c41; font-style: italic; }
.flow-diagram .note.timer rect { fill: #e3f2fd; stroke: #1e88e5; stroke-dasharray: 3 2; }
.flow-diagram .note.timer text { fill: #0d47a1; }
.flow-diagram .note.action rect { fill: #fffde7; stroke: #f9a825; }
`.trim();

const MARGIN = 20;
const LINE = 14;
const FIRST_SIZE = 12;
const HEADER_SIZE = 10.5;
const NOTE_SIZE = 11;
const MIN_GAP = 150;
const HEADER_HEIGHT = 40;
const MAX_NOTE_WIDTH = 360;

/** Marker ids are unique per diagram: the viewer inlines every diagram in one page. */
const markerId = (flow: string, head: string) => `${flow}-${head}`;

const markers = (flow: string) => element('defs', {}, [
  element('marker', { id: markerId(flow, 'head-filled'), viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto' }, [
    element('path', { d: 'M0 0 L10 5 L0 10 z', fill: '#37474f' }),
  ]),
  element('marker', { id: markerId(flow, 'head-open'), viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto' }, [
    element('path', { d: 'M0 0 L10 5 L0 10', fill: 'none', stroke: '#37474f', 'stroke-width': 1.5 }),
  ]),
  element('marker', { id: markerId(flow, 'head-media'), viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto' }, [
    element('path', { d: 'M0 0 L10 5 L0 10 z', fill: '#00796b' }),
  ]),
]);

function lineSize(index: number): number {
  return index === 0 ? FIRST_SIZE : HEADER_SIZE;
}

function messageWidth(lines: readonly string[]): number {
  return Math.max(...lines.map((l, i) => textWidth(l, lineSize(i))));
}

function noteLines(item: Extract<FlowItem, { kind: 'note' }>): string[] {
  return item.lines.flatMap((l) => wrapText(l, MAX_NOTE_WIDTH - 16, NOTE_SIZE));
}

function participantWidth(p: Participant): number {
  return Math.max(textWidth(p.title, 12, 'bold'), textWidth(p.subtitle, 10)) + 20;
}

/** Lifeline x positions: every gap wide enough for the participants' boxes and the labels spanning it. */
function lanePositions(flow: CallFlow): Map<string, number> {
  const ids = flow.participants.map((p) => p.id);
  const widths = flow.participants.map(participantWidth);
  const gaps = ids.slice(1).map((_, i) => Math.max(MIN_GAP, ((widths[i] ?? 0) + (widths[i + 1] ?? 0)) / 2 + 16));
  const spans = flow.items
    .flatMap((item) => (item.kind === 'message' ? [{ a: ids.indexOf(item.from), b: ids.indexOf(item.to), width: messageWidth(item.lines) + 24 }] : []))
    .map(({ a, b, width }) => ({ from: Math.min(a, b), to: Math.max(a, b), width }))
    .sort((x, y) => x.to - x.from - (y.to - y.from) || x.from - y.from);
  for (const { from, to, width } of spans) {
    const have = gaps.slice(from, to).reduce((sum, g) => sum + g, 0);
    if (have < width) for (let g = from; g < to; g++) gaps[g] = (gaps[g] ?? 0) + (width - have) / (to - from);
  }
  const positions = new Map<string, number>();
  let x = 0;
  ids.forEach((id, i) => {
    positions.set(id, x);
    x += gaps[i] ?? 0;
  });
  return positions;
}

function participantBox(p: Participant, x: number, y: number): string {
  const width = participantWidth(p);
  return element('g', { class: `participant ${p.id === 'cf' ? 'cf' : ''}`.trim(), 'data-participant': p.id }, [
    element('rect', { x: x - width / 2, y, width, height: HEADER_HEIGHT, rx: 4 }),
    textElement('text', { class: 'name', x, y: y + 17, 'text-anchor': 'middle', 'font-size': 12 }, p.title),
    textElement('text', { class: 'uri', x, y: y + 32, 'text-anchor': 'middle', 'font-size': 10 }, p.subtitle),
  ]);
}

function drawMessage(flow: string, item: Extract<FlowItem, { kind: 'message' }>, lanes: Map<string, number>, y: number): { svg: string; height: number } {
  const x1 = lanes.get(item.from) ?? 0;
  const x2 = lanes.get(item.to) ?? 0;
  const arrowY = y + item.lines.length * LINE + 4;
  const head = item.style === 'media' ? 'head-media' : item.style === 'response' ? 'head-open' : 'head-filled';
  const texts = item.lines.map((line, i) =>
    textElement('text', { class: i === 0 ? 'first' : 'header', x: (x1 + x2) / 2, y: y + (i + 1) * LINE - 3, 'text-anchor': 'middle', 'font-size': lineSize(i) }, line),
  );
  const svg = element('g', { class: `message ${item.style}`, 'data-from': item.from, 'data-to': item.to }, [
    ...texts,
    element('path', { d: pathData([{ x: x1, y: arrowY }, { x: x2 + (x2 > x1 ? -1 : 1), y: arrowY }]), 'marker-end': `url(#${markerId(flow, head)})` }),
  ]);
  return { svg, height: arrowY - y + 12 };
}

function drawNote(item: Extract<FlowItem, { kind: 'note' }>, lanes: Map<string, number>, y: number): { svg: string; height: number } {
  const lines = noteLines(item);
  const width = Math.max(...lines.map((l) => textWidth(l, NOTE_SIZE, 'bold'))) + 16;
  const height = lines.length * LINE + 8;
  const x = lanes.get(item.over) ?? 0;
  const idLines = item.role === 'steps' && item.requirements.length > 0 ? wrapText(item.lines[0] ?? '', MAX_NOTE_WIDTH - 16, NOTE_SIZE).length : 0;
  const svg = element('g', { class: `note ${item.role}`, 'data-requirements': item.requirements.length > 0 ? item.requirements.join(' ') : undefined }, [
    element('rect', { x: x - width / 2, y, width, height, rx: 3 }),
    ...lines.map((line, i) =>
      textElement('text', { class: i < idLines ? 'ids' : item.role === 'steps' ? 'clauses' : 'text', x, y: y + 4 + (i + 1) * LINE - 3, 'text-anchor': 'middle', 'font-size': NOTE_SIZE }, line),
    ),
  ]);
  return { svg, height: height + 8 };
}

function extent(item: FlowItem, lanes: Map<string, number>): [number, number] {
  if (item.kind === 'note') {
    const half = Math.max(...noteLines(item).map((l) => textWidth(l, NOTE_SIZE, 'bold'))) / 2 + 8;
    const x = lanes.get(item.over) ?? 0;
    return [x - half, x + half];
  }
  const x1 = lanes.get(item.from) ?? 0;
  const x2 = lanes.get(item.to) ?? 0;
  const half = messageWidth(item.lines) / 2;
  return [Math.min(x1, x2, (x1 + x2) / 2 - half), Math.max(x1, x2, (x1 + x2) / 2 + half)];
}

export function flowSvg(flow: CallFlow): string {
  const relative = lanePositions(flow);
  const extents = [
    ...flow.items.map((item) => extent(item, relative)),
    ...flow.participants.map((p): [number, number] => [(relative.get(p.id) ?? 0) - participantWidth(p) / 2, (relative.get(p.id) ?? 0) + participantWidth(p) / 2]),
  ];
  const left = Math.min(...extents.map(([l]) => l));
  const right = Math.max(...extents.map(([, r]) => r));
  const width = Math.max(right - left + 2 * MARGIN, 720);
  const lanes = new Map([...relative].map(([id, x]) => [id, x - left + MARGIN]));

  const summary = wrapText(flow.scenario.summary, width - 2 * MARGIN, 11);
  const top = MARGIN + 22 + summary.length * 15 + 12;
  let y = top + HEADER_HEIGHT + 16;
  const drawn = flow.items.map((item) => {
    const { svg, height } = item.kind === 'message' ? drawMessage(flow.scenario.name, item, lanes, y) : drawNote(item, lanes, y);
    y += height;
    return svg;
  });
  const bottom = y + 8;
  const height = bottom + HEADER_HEIGHT + MARGIN;
  return svgDocument(width, height, css, { class: 'flow-diagram', 'data-flow': flow.scenario.name, role: 'img', 'aria-label': `Call flow: ${flow.scenario.title}` }, [
    markers(flow.scenario.name),
    textElement('text', { class: 'title', x: MARGIN, y: MARGIN + 14, 'font-size': 15 }, flow.scenario.title),
    ...summary.map((line, i) => textElement('text', { class: 'summary', x: MARGIN, y: MARGIN + 34 + i * 15, 'font-size': 11 }, line)),
    element('g', { class: 'lifelines' }, flow.participants.map((p) =>
      element('path', { class: `lifeline ${p.id === 'cf' ? 'cf' : ''}`.trim(), d: pathData([{ x: lanes.get(p.id) ?? 0, y: top + HEADER_HEIGHT }, { x: lanes.get(p.id) ?? 0, y: bottom }]) }),
    )),
    element('g', { class: 'participants' }, flow.participants.flatMap((p) => [participantBox(p, lanes.get(p.id) ?? 0, top), participantBox(p, lanes.get(p.id) ?? 0, bottom)])),
    element('g', { class: 'items' }, drawn),
  ]);
}
