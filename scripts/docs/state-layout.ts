/**
 * Lays a machine out with ELK's layered algorithm: every state a node, composite states as nodes
 * containing their children (`hierarchyHandling: INCLUDE_CHILDREN`, so edges may cross levels),
 * an initial pseudo-state per composite, every transition an edge with its label as an ELK label.
 * Coordinates come back absolute (`elk.json.*Coords: ROOT`), ready for the SVG writer.
 */
import elk from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkShape } from 'elkjs/lib/elk-api.js';
import type { DrawnMachine, DrawnState, DrawnTransition } from './machine-graph.ts';
import { stateBox, transitionLabel, type StateBox, type TextBlock } from './state-box.ts';
import type { Point } from './svg.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedState extends Rect {
  state: DrawnState;
  box: StateBox;
  children: PlacedState[];
}

export interface PlacedInitial extends Rect {
  /** The composite state (or machine) whose initial child this points at. */
  parent: string;
  points: Point[];
}

export interface PlacedTransition {
  transition: DrawnTransition;
  target: string;
  points: Point[];
  label: (Rect & { block: TextBlock }) | undefined;
}

export interface MachineLayout {
  width: number;
  height: number;
  root: PlacedState;
  initials: PlacedInitial[];
  transitions: PlacedTransition[];
}

const INITIAL_SIZE = 12;
const MARGIN = 12;

const layoutOptions: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.randomSeed': '1',
};

/**
 * Layered options are read from the composite whose children they lay out, not from the graph's
 * root, under INCLUDE_CHILDREN; so every composite carries them.
 */
const compositeOptions: Record<string, string> = {
  'elk.edgeLabels.placement': 'CENTER',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // Reverse the edges that return towards the initial state, so a cyclic block (msrpSend) still
  // reads top-down from where it starts.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
};

const initialId = (parent: string) => `${parent}#initial`;

function stateNode(state: DrawnState, boxes: Map<string, StateBox>): ElkNode {
  const box = stateBox(state);
  boxes.set(state.id, box);
  if (state.children.length === 0) return { id: state.id, width: box.width, height: box.height };
  const children = state.children.map((child) => stateNode(child, boxes));
  return {
    id: state.id,
    layoutOptions: {
      ...compositeOptions,
      'elk.padding': `[top=${box.height + 10},left=14,bottom=14,right=14]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${box.width},${box.height + 20})`,
    },
    children: state.initial === undefined ? children : [{ id: initialId(state.id), width: INITIAL_SIZE, height: INITIAL_SIZE }, ...children],
  };
}

function composites(state: DrawnState): DrawnState[] {
  return [...(state.initial === undefined ? [] : [state]), ...state.children.flatMap(composites)];
}

function edgesOf(machine: DrawnMachine): { edges: ElkExtendedEdge[]; labels: Map<string, TextBlock> } {
  const labels = new Map<string, TextBlock>();
  const initialEdges = composites(machine.root).map((state) => ({
    id: `init:${state.id}`,
    sources: [initialId(state.id)],
    targets: [state.initial ?? state.id],
  }));
  const transitionEdges = machine.transitions.flatMap((transition, i) =>
    transition.targets.map((target, j) => {
      const id = `t:${i}:${j}`;
      const block = transitionLabel(transition);
      labels.set(id, block);
      return { id, sources: [transition.source], targets: [target], labels: [{ id: `${id}:label`, text: transition.trigger, width: block.width, height: block.height }] };
    }),
  );
  return { edges: [...initialEdges, ...transitionEdges], labels };
}

function pointsOf(edge: ElkExtendedEdge): Point[] {
  const section = edge.sections?.[0];
  if (!section) throw new Error(`state-layout: ELK routed no section for edge ${edge.id}`);
  return [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x: x + MARGIN, y: y + MARGIN }));
}

function rectOf(node: ElkShape): Rect {
  return { x: (node.x ?? 0) + MARGIN, y: (node.y ?? 0) + MARGIN, width: node.width ?? 0, height: node.height ?? 0 };
}

export async function layoutMachine(machine: DrawnMachine): Promise<MachineLayout> {
  const boxes = new Map<string, StateBox>();
  const rootNode = stateNode(machine.root, boxes);
  const { edges, labels } = edgesOf(machine);
  const graph: ElkNode = { id: 'graph', layoutOptions, children: [rootNode], edges };
  // Node's module interop types the CommonJS export as the module; its `default` is the constructor.
  const laidOut = await new elk.default().layout(graph);

  const nodes = new Map<string, ElkNode>();
  const collect = (node: ElkNode): void => {
    nodes.set(node.id, node);
    node.children?.forEach(collect);
  };
  laidOut.children?.forEach(collect);
  const place = (state: DrawnState): PlacedState => {
    const node = nodes.get(state.id);
    const box = boxes.get(state.id);
    if (!node || !box) throw new Error(`state-layout: ELK lost state ${state.id}`);
    return { ...rectOf(node), state, box, children: state.children.map(place) };
  };
  const laidEdges = new Map((laidOut.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const edge = (id: string): ElkExtendedEdge => {
    const found = laidEdges.get(id);
    if (!found) throw new Error(`state-layout: ELK lost edge ${id}`);
    return found;
  };

  const initials = composites(machine.root).map((state) => {
    const node = nodes.get(initialId(state.id));
    if (!node) throw new Error(`state-layout: ELK lost the initial pseudo-state of ${state.id}`);
    return { ...rectOf(node), parent: state.id, points: pointsOf(edge(`init:${state.id}`)) };
  });
  const transitions = machine.transitions.flatMap((transition, i) =>
    transition.targets.map((target, j) => {
      const id = `t:${i}:${j}`;
      const laid = edge(id);
      const label = laid.labels?.[0];
      const block = labels.get(id);
      return {
        transition,
        target,
        points: pointsOf(laid),
        label: label && block ? { ...rectOf(label), block } : undefined,
      };
    }),
  );
  return {
    width: (laidOut.width ?? 0) + 2 * MARGIN,
    height: (laidOut.height ?? 0) + 2 * MARGIN,
    root: place(machine.root),
    initials,
    transitions,
  };
}
