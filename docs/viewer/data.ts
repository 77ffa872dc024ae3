/**
 * What `scripts/docs/site.ts` embeds in `docs/site/index.html` for the viewer: the requirement
 * catalogue with where each step lives, every state and transition with its trace, and the call
 * flows with the steps they show and the states they pass through. Types only: shared by the
 * generator (Node) and the viewer (browser).
 */

export interface ViewerOpenQuestion {
  number: number;
  title: string;
  /** Relative to `docs/site/`. */
  href: string;
}

export interface ViewerRequirement {
  id: string;
  block: string;
  step: number;
  level: string;
  summary: string;
  openQuestions: ViewerOpenQuestion[];
  states: string[];
  transitions: string[];
  flows: string[];
  /** Generated model-based paths through the step. */
  paths: number;
}

export interface ViewerTransition {
  key: string;
  machine: string;
  source: string;
  targets: string[];
  /** `EVENT [guard] / actions`. */
  label: string;
  requirements: string[];
  clause: string | null;
  description: string | null;
}

export interface ViewerState {
  id: string;
  machine: string;
  name: string;
  description: string | null;
  requirements: string[];
  clause: string | null;
  entry: string[];
  exit: string[];
  /** Names of the call flows whose session was ever in this state. */
  flows: string[];
}

export interface ViewerMachine {
  name: string;
  group: string;
  description: string | null;
  states: string[];
}

export interface ViewerFlow {
  name: string;
  title: string;
  summary: string;
  answer: number;
  requirements: string[];
  states: string[];
}

export interface ViewerData {
  requirements: ViewerRequirement[];
  machines: ViewerMachine[];
  states: Record<string, ViewerState>;
  transitions: Record<string, ViewerTransition>;
  flows: ViewerFlow[];
}
