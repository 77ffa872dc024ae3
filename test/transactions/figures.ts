/**
 * The independent expectation for the model-based tests: RFC 3261 Figures 5-8 (with the RFC
 * 6026 corrections) transcribed as edge tables, plus a declarative account of each timer (the
 * states it serves, its duration, what it does over a reliable transport, and its own edge).
 * `expectSteps` interprets a figure generically, so the expected effects of a path never come
 * from the machines' entry/exit/action lists, only from these tables and Table 4's durations.
 */
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TimerName } from '../../machines/transactions/timers.ts';

/** RFC 3261 Table 4 defaults, restated on purpose rather than imported. */
const T1 = 500;
const T2 = 4_000;
const T4 = 5_000;

type Stimulus = '1xx' | '2xx' | '300-699' | 'REQUEST' | 'ACK' | 'TRANSPORT_ERROR';

interface Edge {
  from: readonly string[];
  on: readonly Stimulus[];
  /** Omitted for an edge that loops on its source. */
  to?: string;
  actions: (status: number) => TransactionEffect[];
}

interface TimerRule {
  /** The states the timer serves: armed on entering them, disarmed on leaving them. */
  scope: readonly string[];
  /** Its first duration; a retransmission timer gives its backoff in `fires.backoff`. */
  ms: number;
  /** `never`: not started over a reliable transport; `zero`: zero seconds there, so its scope is passed through. */
  overReliable: 'runs' | 'never' | 'zero';
  fires: { to?: string; actions: TransactionEffect[]; backoff?: (state: string, interval: number) => number };
}

export interface Figure {
  initial: string;
  /** What constructing the transaction does before its timers are armed. */
  created: TransactionEffect[];
  /** In the order a machine arms and disarms them. */
  timers: Partial<Record<TimerName, TimerRule>>;
  edges: readonly Edge[];
}

const toTU = (status: number): TransactionEffect => ({ type: 'passToTU', what: 'response', status });
const sendResponse = (status: number): TransactionEffect => ({ type: 'transmit', what: 'response', status });
const REQUEST_SENT: TransactionEffect = { type: 'transmit', what: 'request' };
const ACK_SENT: TransactionEffect = { type: 'transmit', what: 'ack' };
const RESPONSE_RESENT: TransactionEffect = { type: 'transmit', what: 'lastResponse' };
const TIMEOUT: TransactionEffect = { type: 'timeout' };
const TRANSPORT_ERROR: TransactionEffect = { type: 'transportError' };
const nothing = (): TransactionEffect[] => [];

/** Figure 5 of RFC 3261, with "Accepted" and Timer M from Figure 4 of RFC 6026. */
export const inviteClientFigure: Figure = {
  initial: 'calling',
  created: [REQUEST_SENT],
  timers: {
    A: { scope: ['calling'], ms: T1, overReliable: 'never', fires: { actions: [REQUEST_SENT], backoff: (_, ms) => Math.min(2 * ms, 64 * T1) } },
    B: { scope: ['calling'], ms: 64 * T1, overReliable: 'runs', fires: { to: 'terminated', actions: [TIMEOUT] } },
    D: { scope: ['completed'], ms: 32_000, overReliable: 'zero', fires: { to: 'terminated', actions: [] } },
    M: { scope: ['accepted'], ms: 64 * T1, overReliable: 'runs', fires: { to: 'terminated', actions: [] } },
  },
  edges: [
    { from: ['calling'], on: ['1xx'], to: 'proceeding', actions: (s) => [toTU(s)] },
    { from: ['proceeding'], on: ['1xx'], actions: (s) => [toTU(s)] },
    { from: ['calling', 'proceeding'], on: ['2xx'], to: 'accepted', actions: (s) => [toTU(s)] },
    { from: ['calling', 'proceeding'], on: ['300-699'], to: 'completed', actions: (s) => [toTU(s), ACK_SENT] },
    { from: ['completed'], on: ['300-699'], actions: () => [ACK_SENT] },
    { from: ['accepted'], on: ['2xx'], actions: (s) => [toTU(s)] },
    { from: ['calling', 'completed'], on: ['TRANSPORT_ERROR'], to: 'terminated', actions: () => [TRANSPORT_ERROR] },
  ],
};

/** Figure 6 of RFC 3261. */
export const nonInviteClientFigure: Figure = {
  initial: 'trying',
  created: [REQUEST_SENT],
  timers: {
    E: {
      scope: ['trying', 'proceeding'],
      ms: T1,
      overReliable: 'never',
      fires: { actions: [REQUEST_SENT], backoff: (state, ms) => (state === 'trying' ? Math.min(2 * ms, T2) : T2) },
    },
    F: { scope: ['trying', 'proceeding'], ms: 64 * T1, overReliable: 'runs', fires: { to: 'terminated', actions: [TIMEOUT] } },
    K: { scope: ['completed'], ms: T4, overReliable: 'zero', fires: { to: 'terminated', actions: [] } },
  },
  edges: [
    { from: ['trying'], on: ['1xx'], to: 'proceeding', actions: (s) => [toTU(s)] },
    { from: ['proceeding'], on: ['1xx'], actions: (s) => [toTU(s)] },
    { from: ['trying', 'proceeding'], on: ['2xx', '300-699'], to: 'completed', actions: (s) => [toTU(s)] },
    { from: ['completed'], on: ['1xx', '2xx', '300-699'], actions: () => [{ type: 'discard', what: 'response' }] },
    { from: ['trying', 'proceeding'], on: ['TRANSPORT_ERROR'], to: 'terminated', actions: () => [TRANSPORT_ERROR] },
  ],
};

/** Figure 7 of RFC 3261 as redrawn in Figure 5 of RFC 6026. */
export const inviteServerFigure: Figure = {
  initial: 'proceeding',
  created: [{ type: 'transmit', what: 'trying' }, { type: 'passToTU', what: 'request' }],
  timers: {
    G: { scope: ['completed'], ms: T1, overReliable: 'never', fires: { actions: [RESPONSE_RESENT], backoff: (_, ms) => Math.min(2 * ms, T2) } },
    H: { scope: ['completed'], ms: 64 * T1, overReliable: 'runs', fires: { to: 'terminated', actions: [TIMEOUT] } },
    I: { scope: ['confirmed'], ms: T4, overReliable: 'zero', fires: { to: 'terminated', actions: [] } },
    L: { scope: ['accepted'], ms: 64 * T1, overReliable: 'runs', fires: { to: 'terminated', actions: [] } },
  },
  edges: [
    { from: ['proceeding', 'completed'], on: ['REQUEST'], actions: () => [RESPONSE_RESENT] },
    { from: ['proceeding'], on: ['1xx'], actions: (s) => [sendResponse(s)] },
    { from: ['proceeding'], on: ['2xx'], to: 'accepted', actions: (s) => [sendResponse(s)] },
    { from: ['proceeding'], on: ['300-699'], to: 'completed', actions: (s) => [sendResponse(s)] },
    { from: ['completed'], on: ['ACK'], to: 'confirmed', actions: nothing },
    { from: ['confirmed'], on: ['ACK'], actions: () => [{ type: 'discard', what: 'ack' }] },
    { from: ['accepted'], on: ['REQUEST'], actions: () => [{ type: 'discard', what: 'request' }] },
    { from: ['accepted'], on: ['ACK'], actions: () => [{ type: 'passToTU', what: 'ack' }] },
    { from: ['accepted'], on: ['2xx'], actions: (s) => [sendResponse(s)] },
    { from: ['proceeding', 'completed', 'accepted'], on: ['TRANSPORT_ERROR'], actions: () => [TRANSPORT_ERROR] },
  ],
};

/** Figure 8 of RFC 3261, with transport errors handled as RFC 6026 §8.8 rewrote §17.2.4. */
export const nonInviteServerFigure: Figure = {
  initial: 'trying',
  created: [{ type: 'passToTU', what: 'request' }],
  timers: {
    J: { scope: ['completed'], ms: 64 * T1, overReliable: 'zero', fires: { to: 'terminated', actions: [] } },
  },
  edges: [
    { from: ['trying'], on: ['REQUEST'], actions: () => [{ type: 'discard', what: 'request' }] },
    { from: ['trying'], on: ['1xx'], to: 'proceeding', actions: (s) => [sendResponse(s)] },
    { from: ['proceeding'], on: ['1xx'], actions: (s) => [sendResponse(s)] },
    { from: ['trying', 'proceeding'], on: ['2xx', '300-699'], to: 'completed', actions: (s) => [sendResponse(s)] },
    { from: ['proceeding', 'completed'], on: ['REQUEST'], actions: () => [RESPONSE_RESENT] },
    { from: ['completed'], on: ['2xx', '300-699'], actions: () => [{ type: 'discard', what: 'response' }] },
    { from: ['proceeding', 'completed'], on: ['TRANSPORT_ERROR'], actions: () => [TRANSPORT_ERROR] },
  ],
};

export interface Expected {
  state: string;
  effects: TransactionEffect[];
}

interface Model {
  state: string;
  interval: number;
  armed: TimerName[];
}

function stimulusOf(event: { type: string; status?: number }): Stimulus | undefined {
  if (event.status === undefined) {
    return ['REQUEST', 'ACK', 'TRANSPORT_ERROR'].includes(event.type) ? (event.type as Stimulus) : undefined;
  }
  if (event.status >= 100 && event.status <= 199) return '1xx';
  if (event.status >= 200 && event.status <= 299) return '2xx';
  return event.status >= 300 && event.status <= 699 ? '300-699' : undefined;
}

/** The timers a figure never arms over this transport, so a test must never fire them. */
export function unarmedTimers(figure: Figure, reliable: boolean): TimerName[] {
  const rules = Object.entries(figure.timers) as [TimerName, TimerRule][];
  return reliable ? rules.filter(([, rule]) => rule.overReliable !== 'runs').map(([timer]) => timer) : [];
}

/** The states a transport never rests in: those a zero-second timer serves over a reliable transport. */
export function passedThrough(figure: Figure, reliable: boolean): string[] {
  const rules = Object.values(figure.timers) as TimerRule[];
  return reliable ? rules.filter((rule) => rule.overReliable === 'zero').flatMap((rule) => rule.scope) : [];
}

/** The expected state and effects after construction and after each event, per `figure`. */
export function expectSteps(
  figure: Figure,
  reliable: boolean,
  events: ReadonlyArray<{ type: string; status?: number }>,
): Expected[] {
  const rules = Object.entries(figure.timers) as [TimerName, TimerRule][];
  const model: Model = { state: figure.initial, interval: T1, armed: [] };
  let effects: TransactionEffect[] = [];

  const move = (from: string | undefined, to: string, actions: TransactionEffect[]): void => {
    const leaving = from !== undefined && from !== to;
    for (const [timer, rule] of rules) {
      if (leaving && model.armed.includes(timer) && rule.scope.includes(from) && !rule.scope.includes(to)) {
        effects.push({ type: 'cancelTimer', timer });
        model.armed = model.armed.filter((armed) => armed !== timer);
      }
    }
    effects.push(...actions);
    if (from === to) {
      return;
    }
    model.state = to;
    let passThrough: TimerRule | undefined;
    for (const [timer, rule] of rules) {
      if (rule.scope.includes(to) && (from === undefined || !rule.scope.includes(from))) {
        if (!reliable || rule.overReliable === 'runs') {
          const ms = rule.fires.backoff ? model.interval : rule.ms;
          effects.push({ type: 'startTimer', timer, ms });
          model.armed.push(timer);
        } else if (rule.overReliable === 'zero') {
          passThrough = rule;
        }
      }
    }
    if (to === 'terminated') {
      effects.push({ type: 'terminated' });
    } else if (passThrough) {
      move(to, passThrough.fires.to ?? to, passThrough.fires.actions);
    }
  };

  const step = (event: { type: string; status?: number }): void => {
    const timer = event.type.startsWith('TIMER_') ? (event.type.slice(6) as TimerName) : undefined;
    if (timer) {
      const rule = figure.timers[timer];
      if (!rule || !model.armed.includes(timer)) {
        return;
      }
      model.armed = model.armed.filter((armed) => armed !== timer);
      if (rule.fires.backoff) {
        effects.push(...rule.fires.actions);
        model.interval = rule.fires.backoff(model.state, model.interval);
        effects.push({ type: 'startTimer', timer, ms: model.interval });
        model.armed.push(timer);
        return;
      }
      move(model.state, rule.fires.to ?? model.state, rule.fires.actions);
      return;
    }
    const stimulus = stimulusOf(event);
    const edge = figure.edges.find((candidate) => candidate.from.includes(model.state) && stimulus !== undefined && candidate.on.includes(stimulus));
    if (edge) {
      move(model.state, edge.to ?? model.state, edge.actions(event.status ?? 0));
    }
  };

  move(undefined, figure.initial, figure.created);
  const expected: Expected[] = [{ state: model.state, effects }];
  for (const event of events) {
    effects = [];
    step(event);
    expected.push({ state: model.state, effects });
  }
  return expected;
}
