/**
 * The world's moves as fast-check commands. A move lists the actions it could take now (one per
 * member it applies to); its command picks one by position modulo that list, so every generated
 * command applies whenever its peer can act at all, and names the action it took for the
 * counterexample. The model is the world's knowledge (`World`), never the CF's state; the CF is
 * reached only through the network (or the clock), so `run` never touches it directly.
 */
import fc from 'fast-check';
import type { CfUnderTest } from './cf-under-test.ts';
import { msrpMedia } from '../../test/model/fixtures.ts';
import { describeAction, type Chunk, type ContinuationFlag, type MemberAnswer, type WorldAction } from './world-actions.ts';
import type { MemberView, World } from './world.ts';

interface Move {
  name: string;
  /** The actions this move could take in `world` now. */
  options(world: World): WorldAction[];
  /** Performed at once by the CF's own clock rather than sent over the network. */
  local?: boolean;
}

class WorldCommand implements fc.AsyncCommand<World, CfUnderTest> {
  #taken: string | undefined;

  constructor(
    private readonly move: Move,
    private readonly position: number,
  ) {}

  check(world: Readonly<World>): boolean {
    return this.move.options(world as World).length > 0;
  }

  async run(world: World): Promise<void> {
    // A delivery the scheduler released between check() and run() may have changed the world:
    // the peer then has nothing to do (e.g. the timer it would fire was cancelled meanwhile).
    const options = this.move.options(world);
    const action = options[this.position % options.length];
    this.#taken = action === undefined ? `${this.move.name} (no longer applicable)` : describeAction(action);
    if (action === undefined) return;
    if (this.move.local === true) await world.perform(action);
    else world.send(action);
  }

  toString(): string {
    return this.#taken ?? `${this.move.name} #${this.position}`;
  }
}

/** A move each member may make: one action per member it applies to. */
const memberMove = (name: string, applies: (m: MemberView) => boolean, act: (m: MemberView) => WorldAction): Move => ({
  name,
  options: (world) => world.memberList().filter(applies).map(act),
});

/** The member answers a member may give, by how often members give them. */
const memberAnswer: fc.Arbitrary<MemberAnswer> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<MemberAnswer>({ kind: 'accept', answer: msrpMedia('msrp://member.example.net:9000/p;tcp') }) },
  // RFC 6135: a member that connects to the CF itself.
  { weight: 2, arbitrary: fc.constant<MemberAnswer>({ kind: 'accept', answer: msrpMedia('msrp://member.example.net:9000/a;tcp', 'active') }) },
  { weight: 1, arbitrary: fc.constant<MemberAnswer>({ kind: 'accept', answer: null }) },
  { weight: 3, arbitrary: fc.constantFrom(404, 480, 486, 487, 603).map((status): MemberAnswer => ({ kind: 'reject', status })) },
  { weight: 1, arbitrary: fc.constant<MemberAnswer>({ kind: 'unreachable' }) },
);

const flag: fc.Arbitrary<ContinuationFlag> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<ContinuationFlag>('+') },
  { weight: 2, arbitrary: fc.constant<ContinuationFlag>('$') },
  { weight: 1, arbitrary: fc.constant<ContinuationFlag>('#') },
);

/** A move of a peer that is alone in its role (the originator, the XDMS). */
function singleMove(name: string, applies: (world: World) => boolean, action: (world: World) => WorldAction): Move {
  return { name, options: (world) => (applies(world) ? [action(world)] : []) };
}

const inDialog = (world: World) => world.originator.acked && !world.originator.byeSent && !world.originator.byeReceived;

function sendMove(bytes: Uint8Array, chunkFlag: ContinuationFlag): Move {
  const chunk = (world: World): Chunk => ({ bytes: Buffer.from(bytes), flag: chunkFlag, ...world.scenario.reports });
  return singleMove(
    'originator sends',
    // The session drops a SEND arriving before the ACK (dialog.awaitingAck takes none), so the
    // world keeps the originator's MSRP behind its ACK: an order the runtime has to guarantee.
    (world) => inDialog(world) && world.originator.ackArrived && !world.originator.messageEnded,
    (world) => ({ by: 'originator', act: 'SEND', chunk: chunk(world) }),
  );
}

const position = fc.nat({ max: 7 });
const command = (move: Move) => position.map((p) => new WorldCommand(move, p));
const chunkBytes = fc.uint8Array({ minLength: 1, maxLength: 6 });

/** Every move of the world, weighted by how often peers make it: a CANCEL, a refresh or a dropped connection is rare. */
export const worldCommand: fc.Arbitrary<fc.AsyncCommand<World, CfUnderTest>> = fc.oneof(
  { weight: 24, arbitrary: command(singleMove('xdms answers', (w) => w.fetchPending, (w) => ({ by: 'xdms', answer: w.scenario.xdms }))) },
  { weight: 1, arbitrary: command(singleMove('originator cancels', (w) => !w.originator.cancelled && w.originator.final === 'none', () => ({ by: 'originator', act: 'CANCEL' }))) },
  { weight: 24, arbitrary: command(singleMove('originator acks', (w) => w.originator.final === 'accepted' && !w.originator.acked, () => ({ by: 'originator', act: 'ACK' }))) },
  { weight: 20, arbitrary: fc.tuple(chunkBytes, flag, position).map(([bytes, f, p]) => new WorldCommand(sendMove(bytes, f), p)) },
  // The originator says BYE once the CF has every chunk it sent (it has their 200s, RFC 4975 §7.2).
  { weight: 4, arbitrary: command(singleMove('originator byes', (w) => inDialog(w) && w.network.idle('originator/msrp'), () => ({ by: 'originator', act: 'BYE' }))) },
  { weight: 1, arbitrary: command(singleMove('originator refreshes', inDialog, () => ({ by: 'originator', act: 'REFRESH' }))) },
  { weight: 1, arbitrary: command(singleMove('originator ignores refresh', (w) => w.originator.refreshPending && !w.originator.byeSent, () => ({ by: 'originator', act: 'REFRESH_UNANSWERED' }))) },
  { weight: 6, arbitrary: command(memberMove('member rings', (m) => m.answer === null && !m.cancelReceived, (m) => ({ by: 'member', leg: m.leg, act: 'RING' }))) },
  {
    weight: 24,
    arbitrary: fc.tuple(memberAnswer, position).map(
      ([answer, p]) => new WorldCommand(memberMove('member answers', (m) => m.answer === null, (m) => ({ by: 'member', leg: m.leg, act: 'ANSWER', answer })), p),
    ),
  },
  { weight: 2, arbitrary: command(memberMove('member leaves', (m) => m.ackReceived && m.answer?.kind === 'accept' && !m.byeSent && !m.byeReceived, (m) => ({ by: 'member', leg: m.leg, act: 'BYE' }))) },
  { weight: 8, arbitrary: command(memberMove('member answers BYE', (m) => m.byeReceived && !m.byeAnswered, (m) => ({ by: 'member', leg: m.leg, act: 'BYE_OK' }))) },
  { weight: 16, arbitrary: command(memberMove('member connects', (m) => m.msrp === 'requested', (m) => ({ by: 'member', leg: m.leg, act: 'CONNECT' }))) },
  { weight: 2, arbitrary: command(memberMove('connection drops', (m) => m.msrp === 'requested' || m.msrp === 'open', (m) => ({ by: 'member', leg: m.leg, act: 'DROP' }))) },
  {
    weight: 20,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 8 }), position).map(
      ([bytes, p]) => new WorldCommand(memberMove('member reads', (m) => m.msrp === 'open', (m) => ({ by: 'member', leg: m.leg, act: 'READ', bytes })), p),
    ),
  },
  { weight: 4, arbitrary: command({ name: 'clock ticks', options: (w) => [w.nextExpiry()].filter((a) => a !== undefined), local: true }) },
);
