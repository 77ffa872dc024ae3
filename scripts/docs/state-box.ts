/**
 * What a state box and a transition label say, line by line, and how big that makes them: the
 * layout sizes ELK's nodes and labels from this, and the SVG writer draws the same lines, so the
 * two never disagree.
 */
import type { DrawnState, DrawnTransition } from './machine-graph.ts';
import { textWidth, wrapText, type Weight } from './text-metrics.ts';

export type LineRole = 'name' | 'description' | 'requirements' | 'clause' | 'activity' | 'trigger' | 'actions';

export interface TextLine {
  text: string;
  role: LineRole;
  size: number;
  weight: Weight;
  /** The requirement IDs an internal transition realises, drawn after its text in their own style. */
  tail?: string;
  /** The internal transition this line (or the last line of it) describes. */
  transition?: DrawnTransition;
}

export interface TextBlock {
  lines: TextLine[];
  width: number;
  height: number;
}

export interface StateBox extends TextBlock {
  /** Lines before this index are the header; the activities (entry, exit, internal) follow a rule. */
  activitiesFrom: number;
}

export const PADDING_X = 8;
export const PADDING_Y = 6;
const ACTIVITY_WIDTH = 300;
const LABEL_WIDTH = 230;
const DESCRIPTION_WIDTH = 440;

export function lineHeight(line: TextLine): number {
  return Math.ceil(line.size * 1.35);
}

function lines(text: string, role: LineRole, size: number, maxWidth: number, weight: Weight = 'normal'): TextLine[] {
  return wrapText(text, maxWidth, size, weight).map((t) => ({ text: t, role, size, weight }));
}

function lineWidth(line: TextLine): number {
  return textWidth(line.text, line.size, line.weight) + (line.tail === undefined ? 0 : textWidth(` ${line.tail}`, line.size, 'bold'));
}

function block(content: TextLine[], paddingX: number, paddingY: number): TextBlock {
  const width = Math.max(...content.map(lineWidth), 0);
  const height = content.reduce((sum, l) => sum + lineHeight(l), 0);
  return { lines: content, width: Math.ceil(width + 2 * paddingX), height: Math.ceil(height + 2 * paddingY) };
}

function internalTransition(transition: DrawnTransition): TextLine[] {
  const text = `${transition.trigger}${transition.actions.length > 0 ? ` / ${transition.actions.join(', ')}` : ''}`;
  const wrapped = lines(text, 'activity', 10, ACTIVITY_WIDTH);
  const tail = transition.requirements.length > 0 ? transition.requirements.join(' · ') : undefined;
  return wrapped.map((line, i) => (i === wrapped.length - 1 ? { ...line, transition, ...(tail === undefined ? {} : { tail }) } : line));
}

function activities(state: DrawnState): TextLine[] {
  return [
    ...(state.entry.length > 0 ? [`entry / ${state.entry.join(', ')}`] : []),
    ...(state.exit.length > 0 ? [`exit / ${state.exit.join(', ')}`] : []),
  ]
    .flatMap((text) => lines(text, 'activity', 10, ACTIVITY_WIDTH))
    .concat(state.internal.flatMap(internalTransition));
}

export function stateBox(state: DrawnState): StateBox {
  const header = [
    ...lines(state.name, 'name', state.type === 'root' ? 15 : 13, Infinity, 'bold'),
    ...(state.type === 'root' && state.description ? lines(state.description, 'description', 11, DESCRIPTION_WIDTH) : []),
    ...(state.requirements.length > 0 ? lines(state.requirements.join(' · '), 'requirements', 11, ACTIVITY_WIDTH, 'bold') : []),
    ...(state.clause ? lines(state.clause, 'clause', 10, ACTIVITY_WIDTH) : []),
  ];
  const all = [...header, ...activities(state)];
  return { ...block(all, PADDING_X, PADDING_Y), activitiesFrom: header.length };
}

/** The label of a transition: `EVENT [guard]`, `/ actions`, then the requirement IDs it realises. */
export function transitionLabel(transition: DrawnTransition): TextBlock {
  const content = [
    ...lines(transition.trigger, 'trigger', 11, LABEL_WIDTH),
    ...(transition.actions.length > 0 ? lines(`/ ${transition.actions.join(', ')}`, 'actions', 10, LABEL_WIDTH) : []),
    ...(transition.requirements.length > 0 ? lines(transition.requirements.join(' · '), 'requirements', 10, LABEL_WIDTH, 'bold') : []),
  ];
  return block(content, 2, 1);
}
