/**
 * The MSRP endpoints (RFC 4975) of the originator and of the members, played with the project's
 * framer on loopback. The originator writes each chunk the world sends as one SEND and waits until
 * the CF has handled it. A member keeps what the CF sends it unanswered until the world acts: the CF's
 * binding SEND until the member connects, each relayed chunk until the member has read its bytes.
 * The bytes a member receives are recorded as they arrive, since that is when the CF sent them.
 *
 * "A member reads N bytes" is realised at the only grain the CF can see: TCP buffers whatever was
 * sent, and a member acknowledges a chunk with its 200 (RFC 4975 §7.2); so reading moves a count
 * of bytes consumed, and every chunk whose bytes are all consumed is answered then.
 */
import type { LegIndex } from '../../machines/types.ts';
import { newSessionId } from '../../runtime/msrp/uri.ts';
import { FramerPeer, type PeerBehaviour } from '../../test/support/msrp-framer-peer.ts';
import { MESSAGE_ID, type TraceStep } from './trace.ts';
import type { Chunk } from './world-actions.ts';

/** How long one answer of the CF may take before the run fails. */
const ANSWER_MS = 5_000;

interface Endpoint {
  /** Its a=path. */
  uri: string;
  /** The CF's path for it, which its requests are addressed to. */
  cfUri: string;
  /** It opens the connection (RFC 6135 a=setup:active); otherwise the CF does. */
  readonly connects: boolean;
  peer: FramerPeer | undefined;
  /** Frames and closes the peer has recorded. */
  records: number;
  /** The CF was asked to connect to it and its first frame has not come yet. */
  awaited: boolean;
}

interface MemberEndpoint extends Endpoint {
  /** Body bytes received, bytes the member has read of them, bytes of the chunks it has answered. */
  received: number;
  read: number;
  answered: number;
}

export class MsrpSide {
  readonly #record: (step: TraceStep) => void;
  readonly #onActivity: () => void;
  #originator: Endpoint | undefined;
  /** Body bytes the originator has sent: where its next chunk starts. */
  #sent = 0;
  readonly #members = new Map<LegIndex, MemberEndpoint>();

  constructor(record: (step: TraceStep) => void, onActivity: () => void) {
    this.#record = record;
    this.#onActivity = onActivity;
  }

  /** The a=path of the originator's offer: a listener when it asks the CF to connect (RFC 6135 passive). */
  async originatorPath(passive: boolean): Promise<string> {
    const originator: Endpoint = { uri: '', cfUri: '', connects: !passive, peer: undefined, records: 0, awaited: false };
    this.#originator = originator;
    await this.#open(originator, {});
    return originator.uri;
  }

  /** The a=path of member `leg`'s answer; `cfUri` is the CF's path in the offer it answers. */
  async memberPath(leg: LegIndex, connects: boolean, cfUri: string): Promise<string> {
    const member: MemberEndpoint = { uri: '', cfUri, connects, peer: undefined, records: 0, awaited: false, received: 0, read: 0, answered: 0 };
    this.#members.set(leg, member);
    await this.#open(member, this.#memberBehaviour(leg));
    return member.uri;
  }

  /**
   * One SEND of the originator to the CF's path `cfUri`, taken once a bodiless SEND behind it is
   * answered: the chunk's own answer may not come (RFC 4975 §7.2, Failure-Report "no" or
   * "partial"). A passive originator has only the connection the CF opened: without it the chunk
   * cannot leave, as on the wire.
   */
  async send(chunk: Chunk, cfUri: string): Promise<void> {
    const originator = this.#originator;
    if (originator === undefined) return;
    originator.cfUri = cfUri;
    const open = originator.peer?.socket !== undefined && !originator.peer.closed;
    if (!open && !originator.connects) return;
    // RFC 4975 §5.4: the active side binds a new connection with its first SEND.
    const peer = open ? originator.peer! : await this.#connect(originator, {});
    const reports = { successReport: chunk.successReport ? ('yes' as const) : ('no' as const), failureReport: chunk.failureReport };
    await peer.sendChunk(cfUri, chunk.bytes, { messageId: MESSAGE_ID, start: this.#sent + 1, flag: chunk.flag, ...reports });
    this.#sent += chunk.bytes.length;
    await this.#probe(peer, originator);
  }

  /** Member `leg`'s connection is established: it answers the CF's binding, or connects and binds itself. */
  async connect(leg: LegIndex): Promise<void> {
    const member = this.#member(leg);
    if (member.connects) {
      if (member.peer !== undefined) return;
      await this.#probe(await this.#connect(member, this.#memberBehaviour(leg)), member);
      return;
    }
    const binding = member.peer?.held[0];
    if (member.peer === undefined || binding === undefined) return;
    member.peer.answer(binding.head);
    await this.#probe(member.peer, member);
  }

  /**
   * Member `leg`'s connection breaks. A member that connects itself and has not yet done so has no
   * connection to break: its attempt fails before reaching the CF, which hears nothing.
   */
  async drop(leg: LegIndex): Promise<void> {
    const peer = this.#member(leg).peer;
    if (peer?.socket === undefined || peer.closed) return;
    peer.destroy();
    await peer.until(() => (peer.closed ? true : undefined), "close of the member's own end of its connection", ANSWER_MS);
  }

  /** Member `leg` reads up to `bytes` more of what it received, and answers each chunk it has read whole. */
  async read(leg: LegIndex, bytes: number): Promise<void> {
    const member = this.#member(leg);
    const peer = member.peer;
    if (peer === undefined || peer.closed) return;
    member.read = Math.min(member.received, member.read + bytes);
    let answered = false;
    for (const chunk of [...peer.held]) {
      if (member.answered + chunk.bodyBytes > member.read) break;
      member.answered += chunk.bodyBytes;
      peer.answer(chunk.head);
      answered = true;
    }
    if (answered) await this.#probe(peer, member);
  }

  /** What the CF's effects ask of the peers: a connection the CF opens is awaited until its first frame. */
  observe(step: TraceStep): void {
    if ('effect' in step) {
      const effect = step.effect;
      if (effect.type === 'originator.connectMsrp' && this.#originator !== undefined) this.#originator.awaited = true;
      if (effect.type === 'msrp.connectMember' || effect.type === 'msrp.closeMember') this.#await(effect.leg, effect.type === 'msrp.connectMember');
    } else if ('event' in step && step.event.type === 'MEMBER' && step.event.event.type === 'MSRP_FAILED') {
      this.#await(step.event.leg, false);
    }
  }

  /** A connection the CF was asked to open that has not shown its first frame yet, if any. */
  awaitedConnection(): string | undefined {
    const endpoints: [string, Endpoint | undefined][] = [['originator', this.#originator], ...[...this.#members].map(([leg, m]): [string, Endpoint] => [`member ${leg}`, m])];
    for (const [who, endpoint] of endpoints) {
      if (endpoint === undefined || !endpoint.awaited) continue;
      if (endpoint.records > 0 || endpoint.peer?.closed === true) endpoint.awaited = false;
      else return `the CF's MSRP connection to the ${who} and its binding SEND`;
    }
    return undefined;
  }

  /** The peers' MSRP connections open now. */
  get openConnections(): number {
    return [this.#originator, ...this.#members.values()].filter((e) => e?.peer?.socket !== undefined && !e.peer.closed).length;
  }

  close(): void {
    for (const endpoint of [this.#originator, ...this.#members.values()]) endpoint?.peer?.destroy();
  }

  #await(leg: LegIndex, awaited: boolean): void {
    const member = this.#members.get(leg);
    if (member !== undefined) member.awaited = awaited;
  }

  #member(leg: LegIndex): MemberEndpoint {
    const member = this.#members.get(leg);
    if (member === undefined) throw new Error(`member ${leg} gave no MSRP answer, so it has no MSRP endpoint`);
    return member;
  }

  #memberBehaviour(leg: LegIndex): PeerBehaviour {
    return {
      hold: true,
      onBody: (data) => {
        const member = this.#members.get(leg);
        if (member !== undefined) member.received += data.length;
        this.#record({ data: { leg, bytes: Buffer.from(data) } });
        this.#onActivity();
      },
    };
  }

  /** Gives `endpoint` its path: a listener's when the CF connects to it, else one of its own that nobody dials. */
  async #open(endpoint: Endpoint, behaviour: PeerBehaviour): Promise<void> {
    if (endpoint.connects) {
      endpoint.uri = `msrp://127.0.0.1:9/${newSessionId()};tcp`;
      return;
    }
    endpoint.peer = await FramerPeer.listen(this.#observed(endpoint, behaviour));
    endpoint.uri = endpoint.peer.uri;
  }

  async #connect(endpoint: Endpoint, behaviour: PeerBehaviour): Promise<FramerPeer> {
    endpoint.peer = await FramerPeer.connect(endpoint.cfUri, this.#observed(endpoint, behaviour), endpoint.uri);
    return endpoint.peer;
  }

  #observed(endpoint: Endpoint, behaviour: PeerBehaviour): PeerBehaviour {
    return {
      ...behaviour,
      onRecord: () => {
        endpoint.records++;
        this.#onActivity();
      },
    };
  }

  /**
   * A bodiless SEND behind what `endpoint` wrote, and its answer: the relay takes a connection's
   * frames in order, so everything before it has been handled by then.
   */
  async #probe(peer: FramerPeer, endpoint: Endpoint): Promise<void> {
    const transactionId = await peer.sendBodiless(endpoint.cfUri);
    await peer.until(() => peer.responses.get(transactionId) ?? (peer.closed ? 'closed' : undefined), `answer from the CF to the bodiless SEND ${transactionId}`, ANSWER_MS);
  }
}
