/**
 * The CF as the machines alone: the composed session actor, plus the little the runtime adds to
 * it that the world can observe — the message spool and each member's relay, which move bytes and
 * tell the session when a member has caught up or has the whole message. Everything else the
 * effects ask for (SIP requests, timers) is the world's to observe, not this executor's to perform.
 */
import type { AnyActorRef } from 'xstate';
import type { CfEffect } from '../../machines/effects.ts';
import { createSessionActor, type SessionActor } from '../../machines/effect-outlet.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { CfPolicy, LegIndex } from '../../machines/types.ts';
import { focus } from '../../test/model/fixtures.ts';
import type { CfFactory, CfUnderTest } from './cf-under-test.ts';
import { MESSAGE_ID, sessionEventOf, type TraceStep } from './trace.ts';
import type { WorldAction } from './world-actions.ts';

/** One member's MSRP relay, as the runtime keeps it. */
interface Relay {
  /** The session asked for the connection (`msrp.connectMember` / `msrp.awaitMember`) and has not closed it. */
  wanted: boolean;
  connected: boolean;
  /** The session asked for the spool to be relayed (`msrp.relayToMember`) and the member is not caught up. */
  relaying: boolean;
  /** How much of the spool the member has acknowledged. */
  offset: number;
  reportedDelivered: boolean;
}

class MachineExecutor implements CfUnderTest {
  readonly #actor: SessionActor;
  readonly #record: (step: TraceStep) => void;
  /** What the runtime has yet to tell the session, in order, once its current event is processed. */
  readonly #pending: SessionEvent[] = [];
  readonly #relays = new Map<LegIndex, Relay>();
  #spool = Buffer.alloc(0);
  #messageComplete = false;
  #ackArrived = false;
  #dialogEnded = false;
  #released = false;
  #busy = false;

  constructor(policy: CfPolicy, record: (step: TraceStep) => void) {
    this.#record = record;
    this.#actor = createSessionActor({ policy, focus }, (effect) => this.#onEffect(effect));
    this.#actor.start();
  }

  get released(): boolean {
    return this.#released;
  }

  perform(action: WorldAction): void {
    // A released session is gone: the runtime drops what still arrives for it.
    if (this.#released) return;
    if (action.by === 'member' && action.act === 'READ') return this.#read(action.leg, action.bytes);
    // The runtime refuses an MSRP connection the session no longer wants (it closed the leg while
    // the member was connecting), and a broken one it had already let go is no news to the session.
    if (action.by === 'member' && (action.act === 'CONNECT' || action.act === 'DROP') && !this.#relay(action.leg).wanted) return;
    if (action.by === 'originator' && action.act === 'SEND') {
      // The runtime takes the originator's MSRP only while its dialog is up (after its ACK, before
      // either side ended it); otherwise it answers 481 and the bytes are not the originator's message.
      if (!this.#ackArrived || this.#dialogEnded) return;
      this.#spool = Buffer.concat([this.#spool, action.chunk.bytes]);
      this.#messageComplete = action.chunk.flag === '$';
    }
    if (action.by === 'member' && action.act === 'CONNECT') this.#relay(action.leg).connected = true;
    if (action.by === 'member' && action.act === 'DROP') Object.assign(this.#relay(action.leg), { wanted: false, connected: false, relaying: false });
    const event = sessionEventOf(action);
    if (event !== null) this.#deliver(event);
    if (action.by === 'originator' && action.act === 'ACK') this.#ackArrived = true;
  }

  leftovers(): string[] {
    const left: string[] = [];
    if (this.#actor.getSnapshot().status === 'active') left.push('session actor');
    for (const [id, child] of Object.entries(this.#actor.getSnapshot().children as Record<string, AnyActorRef>)) {
      if (child.getSnapshot().status === 'active') left.push(`child actor ${id}`);
    }
    for (const [leg, relay] of this.#relays) if (relay.connected) left.push(`MSRP connection of leg ${leg}`);
    return left;
  }

  describe(): string {
    const snapshot = this.#actor.getSnapshot();
    const children = Object.entries(snapshot.children as Record<string, AnyActorRef>)
      .filter(([, child]) => child.getSnapshot().status === 'active')
      .map(([id, child]) => `${id}=${JSON.stringify(child.getSnapshot().value)}`);
    return `session ${snapshot.status} in ${JSON.stringify(snapshot.value)}; live children: ${children.join(', ') || 'none'}`;
  }

  #deliver(event: SessionEvent): void {
    this.#pending.push(event);
    this.#flush();
  }

  /** Sends the queued events one at a time: each after the session has processed the one before. */
  #flush(): void {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#pending.shift(); next !== undefined; next = this.#pending.shift()) {
        this.#record({ event: next });
        this.#actor.send(next);
      }
    } finally {
      this.#busy = false;
    }
  }

  #relay(leg: LegIndex): Relay {
    let relay = this.#relays.get(leg);
    if (relay === undefined) {
      relay = { wanted: false, connected: false, relaying: false, offset: 0, reportedDelivered: false };
      this.#relays.set(leg, relay);
    }
    return relay;
  }

  #onEffect(effect: CfEffect): void {
    this.#record({ effect });
    switch (effect.type) {
      case 'msrp.connectMember':
      case 'msrp.awaitMember':
        this.#relay(effect.leg).wanted = true;
        break;
      case 'msrp.relayToMember': {
        const relay = this.#relay(effect.leg);
        // A relay over no connection sends nothing; the invariants see the effect all the same.
        relay.relaying = relay.connected;
        if (relay.relaying) this.#reportProgress(effect.leg, relay);
        break;
      }
      case 'msrp.abortDelivery':
        this.#relay(effect.leg).relaying = false;
        break;
      case 'msrp.closeMember':
        Object.assign(this.#relay(effect.leg), { wanted: false, connected: false, relaying: false });
        break;
      case 'originator.answerBye':
      case 'originator.sendBye':
        this.#dialogEnded = true;
        break;
      case 'session.release':
        // The runtime frees the spool with the session; nothing reaches the session any more.
        this.#released = true;
        break;
      default:
        break;
    }
  }

  #read(leg: LegIndex, bytes: number): void {
    const relay = this.#relay(leg);
    if (!relay.relaying || relay.offset >= this.#spool.length) return;
    const data = this.#spool.subarray(relay.offset, relay.offset + bytes);
    relay.offset += data.length;
    this.#record({ data: { leg, bytes: Buffer.from(data) } });
    this.#reportProgress(leg, relay);
    this.#flush();
  }

  /**
   * A member that has acknowledged the whole spool is caught up; if the spool is a whole message,
   * it has it (RFC 4975 §7.1.2: its 200 to the last chunk).
   */
  #reportProgress(leg: LegIndex, relay: Relay): void {
    if (relay.offset < this.#spool.length) return;
    relay.relaying = false;
    if (this.#messageComplete && !relay.reportedDelivered) {
      relay.reportedDelivered = true;
      this.#pending.push({ type: 'MEMBER_MESSAGE_DELIVERED', leg, messageId: MESSAGE_ID });
    }
    this.#pending.push({ type: 'MEMBER', leg, event: { type: 'CAUGHT_UP' } });
  }
}

export const machineExecutor: CfFactory = (policy, record) => new MachineExecutor(policy, record);
