/**
 * The simulated world around one session: the originator, the XDMS, the members and the clock,
 * each knowing only what it sent and what the CF sent it. This knowledge is the model of the
 * commands — much smaller than the machines: no state of the CF, only what the peers can see.
 */
import type { CfEffect } from '../../machines/effects.ts';
import type { ReportRequest } from '../../machines/msrp-send.ts';
import type { CfPolicy, InviteSummary, LegIndex } from '../../machines/types.ts';
import type { CfFactory, CfUnderTest } from './cf-under-test.ts';
import { SimulatedClock } from './clock.ts';
import { Network, type Release } from './network.ts';
import type { TraceStep } from './trace.ts';
import type { MemberAnswer, WorldAction, XdmsAnswer } from './world-actions.ts';

export interface Scenario {
  policy: CfPolicy;
  invite: InviteSummary;
  /** What the XDMS answers when asked for the group document. */
  xdms: XdmsAnswer;
  /** The Success-Report and Failure-Report of the originator's message. */
  reports: { successReport: boolean; failureReport: ReportRequest };
}

export interface OriginatorView {
  cancelled: boolean;
  final: 'none' | 'accepted' | 'rejected';
  acked: boolean;
  /** Its ACK has reached the CF: from then on its MSRP is taken (see `machine-executor.ts`). */
  ackArrived: boolean;
  byeSent: boolean;
  byeReceived: boolean;
  refreshPending: boolean;
  /** The chunks of its message, in the order sent. */
  chunks: Buffer[];
  messageEnded: boolean;
}

export interface MemberView {
  leg: LegIndex;
  answer: MemberAnswer | null;
  /** It answered on its own, not because the CF cancelled its INVITE. */
  answeredUnprompted: boolean;
  cancelReceived: boolean;
  ackReceived: boolean;
  byeSent: boolean;
  byeReceived: boolean;
  byeAnswered: boolean;
  msrp: 'none' | 'requested' | 'open' | 'closed';
  received: Buffer[];
}

export class World {
  readonly scenario: Scenario;
  readonly trace: TraceStep[] = [];
  readonly clock = new SimulatedClock();
  readonly cf: CfUnderTest;
  readonly network: Network;
  readonly originator: OriginatorView = {
    cancelled: false, final: 'none', acked: false, ackArrived: false, byeSent: false, byeReceived: false,
    refreshPending: false, chunks: [], messageEnded: false,
  };
  readonly members = new Map<LegIndex, MemberView>();
  fetchPending = false;

  constructor(scenario: Scenario, factory: CfFactory, release: Release) {
    this.scenario = scenario;
    this.cf = factory(scenario.policy, (step) => this.#record(step));
    this.network = new Network((action) => this.cf.perform(action), release);
  }

  /** The originator's INVITE starts the story; nothing else is in flight yet. */
  begin(): void | Promise<void> {
    return this.perform({ by: 'originator', act: 'INVITE', invite: this.scenario.invite });
  }

  /** A peer sends `action`: it knows at once what it sent; the CF gets it when the network delivers. */
  send(action: WorldAction): void {
    this.#learnSent(action);
    this.network.send(action);
  }

  /** Performs `action` without the network: the clock, and the world answering at the end of a run. */
  perform(action: WorldAction): void | Promise<void> {
    this.#learnSent(action);
    return this.cf.perform(action);
  }

  /** The expiry of the timer due first, if any. */
  nextExpiry(): WorldAction | undefined {
    const timer = this.clock.next();
    return timer === undefined ? undefined : { by: 'clock', timer: timer.timer, leg: timer.leg };
  }

  memberList(): MemberView[] {
    return [...this.members.values()];
  }

  /** The bytes of the message the CF took from the originator: every chunk before the first it refused. */
  acceptedBytes(): Buffer {
    const taken = this.trace.filter((step) => 'event' in step && step.event.type === 'SEND').length;
    return Buffer.concat(this.originator.chunks.slice(0, taken));
  }

  #learnSent(action: WorldAction): void {
    const o = this.originator;
    if (action.by === 'clock') this.clock.expire(action.timer, action.leg);
    if (action.by === 'xdms') this.fetchPending = false;
    if (action.by === 'originator') {
      if (action.act === 'CANCEL') o.cancelled = true;
      if (action.act === 'ACK') o.acked = true;
      if (action.act === 'BYE') o.byeSent = true;
      if (action.act === 'REFRESH_UNANSWERED') o.refreshPending = false;
      if (action.act === 'SEND') {
        o.chunks.push(action.chunk.bytes);
        o.messageEnded = action.chunk.flag !== '+';
      }
    }
    if (action.by !== 'member') return;
    const m = this.#member(action.leg);
    if (action.act === 'ANSWER') {
      m.answer = action.answer;
      m.answeredUnprompted = !m.cancelReceived;
    }
    if (action.act === 'BYE') m.byeSent = true;
    if (action.act === 'BYE_OK') m.byeAnswered = true;
    if (action.act === 'CONNECT') m.msrp = 'open';
    if (action.act === 'DROP') m.msrp = 'closed';
  }

  #record(step: TraceStep): void {
    this.trace.push(step);
    if ('data' in step) this.#member(step.data.leg).received.push(step.data.bytes);
    if ('event' in step && step.event.type === 'ACK') this.originator.ackArrived = true;
    if ('effect' in step) this.#learnReceived(step.effect);
  }

  #learnReceived(effect: CfEffect): void {
    this.clock.observe(effect);
    const o = this.originator;
    switch (effect.type) {
      case 'xdm.fetchGroupDocument':
        this.fetchPending = true;
        return;
      case 'originator.reject':
        o.final = 'rejected';
        return;
      case 'originator.accept':
        o.final = 'accepted';
        return;
      case 'originator.sendBye':
        o.byeReceived = true;
        return;
      case 'originator.sendRefresh':
        o.refreshPending = true;
        return;
      case 'member.invite':
        this.#member(effect.leg);
        return;
      case 'member.cancel':
        this.#member(effect.leg).cancelReceived = true;
        return;
      case 'member.ack':
        this.#member(effect.leg).ackReceived = true;
        return;
      case 'member.bye':
        this.#member(effect.leg).byeReceived = true;
        return;
      case 'msrp.connectMember':
      case 'msrp.awaitMember':
        this.#member(effect.leg).msrp = 'requested';
        return;
      case 'msrp.closeMember':
        this.#member(effect.leg).msrp = 'closed';
        return;
      default:
        return;
    }
  }

  #member(leg: LegIndex): MemberView {
    const known = this.members.get(leg);
    if (known !== undefined) return known;
    // Met at its INVITE, or at a request the CF should not have sent (the invariants refuse it).
    const member = newMember(leg);
    this.members.set(leg, member);
    return member;
  }
}

function newMember(leg: LegIndex): MemberView {
  return {
    leg, answer: null, answeredUnprompted: false, cancelReceived: false, ackReceived: false,
    byeSent: false, byeReceived: false, byeAnswered: false, msrp: 'none', received: [],
  };
}
