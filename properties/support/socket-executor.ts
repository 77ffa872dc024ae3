/**
 * The CF under test as the runtime itself: `startCf` in this process on loopback sockets, one CF
 * per run (`loopback-cf.ts`), the world's actions carried as real SIP over UDP (`sip-side.ts`),
 * real MSRP over TCP through the CF's real relay (`msrp-side.ts`), real XCAP answers and the
 * CF's own clock.
 *
 * The trace is told from what the CF shows, action by action: first the action's event, once the
 * CF's answer says it took it (a 481 means the session never saw it); then the SIP the CF sent, in
 * the order it arrived, and what happened inside the CF's process, in the order it happened —
 * the MSRP effects and events at the relay's contract (`media-tap.ts`), the timers at its clock,
 * and the bytes each member received; last, the release once the CF holds no session any more.
 * The two sources are not interleaved (the CF's SIP is seen only when it arrives), so they follow
 * the way the action went in: the SIP first for an action over SIP, since the CF answers and
 * acknowledges before it connects or releases (ACK-1, BYE-3); the relay first for one over MSRP,
 * since what the session does then follows what the relay told it.
 *
 * An action is over when the CF is idle again, judged without sleeping: the answer the action
 * gets (or an OPTIONS or bodiless SEND behind it, on the same socket), the reactions that take the
 * CF several turns of the event loop (the XCAP fetch after an INVITE, the INVITEs after the group
 * document, the MSRP connections the CF opens and their binding SENDs), as many MSRP connections
 * on the peers' side as on the relay's, and then a few turns in which nothing new arrives. Every
 * wait is bounded and says what it waited for.
 */
import type { SessionEvent } from '../../machines/session.ts';
import type { CfPolicy, InviteSummary, LegIndex } from '../../machines/types.ts';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../../runtime/xdm/xcap-client.ts';
import type { XdmsAnswer as HeldAnswer } from '../../test/support/held-xdms.ts';
import type { CfFactory, CfUnderTest } from './cf-under-test.ts';
import { startLoopbackCf, type LoopbackCf } from './loopback-cf.ts';
import { MsrpSide } from './msrp-side.ts';
import { SipSide } from './sip-side.ts';
import { sessionEventOf, type TraceStep } from './trace.ts';
import { channelOf, describeAction, type MemberAnswer, type WorldAction, type XdmsAnswer } from './world-actions.ts';

/** The CF of a run and the peers around it. */
interface Rig {
  readonly cf: LoopbackCf;
  readonly sip: SipSide;
  readonly msrp: MsrpSide;
}

/** The longest the CF may take over one reaction, and to be idle after one action, before the run fails. */
const WAIT_MS = 5_000;
const IDLE_MS = 10_000;
/** Turns of the event loop in which nothing may arrive for the CF to count as idle. */
const QUIET_TURNS = 3;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * What the world's XDMS answer is on the wire, and the event the CF's XCAP client makes of it: a
 * 503 keeps the XDMS's Retry-After or, without one, gets the client's default; a 500 is what the
 * client makes of a document it cannot use (`runtime/xdm/xcap-client.ts`).
 */
function xdmsOnWire(answer: XdmsAnswer): { held: HeldAnswer; event: SessionEvent } {
  switch (answer.kind) {
    case 'found':
      return { held: answer, event: { type: 'GROUP_DOCUMENT_FOUND', group: answer.group } };
    case 'notFound':
      return { held: { kind: 'not-found' }, event: { type: 'GROUP_DOCUMENT_NOT_FOUND' } };
    case 'unavailable':
      return answer.status === 500
        ? { held: { kind: 'unusable' }, event: { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 500, retryAfter: null } }
        : {
            held: { kind: 'unavailable', retryAfter: answer.retryAfter },
            event: { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 503, retryAfter: answer.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS },
          };
  }
}

class SocketCf implements CfUnderTest {
  readonly #policy: CfPolicy;
  readonly #record: (step: TraceStep) => void;
  #rig: Rig | undefined;
  #invite: InviteSummary | undefined;
  /** What the CF sent over SIP (and XCAP) during the current action, in the order it arrived. */
  readonly #wire: TraceStep[] = [];
  /** What happened in the CF's process during the current action, in the order it happened. */
  readonly #inside: TraceStep[] = [];
  /** Grows with every observation, so that a quiet CF is one whose count stands still. */
  #activity = 0;
  #fetches = 0;
  #released = false;

  constructor(policy: CfPolicy, record: (step: TraceStep) => void) {
    this.#policy = policy;
    this.#record = record;
  }

  get released(): boolean {
    return this.#released;
  }

  async perform(action: WorldAction): Promise<void> {
    // A released session is gone: what still arrives for it reaches no session.
    if (this.#released) return;
    this.#rig ??= await this.#start();
    this.#flush(null, false);
    if (this.#released) return;
    const event = await this.#carry(action, this.#rig);
    await this.#idle(action, this.#rig);
    this.#flush(event, channelOf(action)?.endsWith('/msrp') === true);
  }

  leftovers(): string[] {
    const rig = this.#rig;
    if (rig === undefined) return [];
    const { sessions, mediaSessions } = rig.cf.cf.stats();
    const connections = rig.cf.relay.openConnections;
    return [
      ...(sessions > 0 ? [`${sessions} session(s) in the CF`] : []),
      ...(mediaSessions > 0 ? [`${mediaSessions} session(s) in the MSRP relay`] : []),
      ...(connections > 0 ? [`${connections} MSRP connection(s) of the relay`] : []),
      ...(rig.cf.xdms.held > 0 ? [`${rig.cf.xdms.held} XCAP fetch(es) of the CF still open`] : []),
    ];
  }

  describe(): string {
    const rig = this.#rig;
    if (rig === undefined) return 'the CF has not started';
    const { sessions, mediaSessions } = rig.cf.cf.stats();
    return `the CF holds ${sessions} session(s), ${mediaSessions} MSRP session(s) and ${rig.cf.relay.openConnections} MSRP connection(s); the peers hold ${rig.msrp.openConnections}`;
  }

  async close(): Promise<void> {
    const rig = this.#rig;
    if (rig === undefined) return;
    await rig.cf.close();
    rig.msrp.close();
    rig.sip.close();
  }

  async #start(): Promise<Rig> {
    const sip = await SipSide.open((effect) => this.#observe(this.#wire, { effect }));
    const msrp = new MsrpSide((step) => this.#observe(this.#inside, step), () => this.#activity++);
    const cf = await startLoopbackCf(this.#policy, sip.proxyUri, (step) => {
      this.#observe(this.#inside, step);
      msrp.observe(step);
    }).catch((error: unknown) => {
      sip.close();
      throw error;
    });
    sip.attach(cf.cf.sipPort);
    return { cf, sip, msrp };
  }

  #observe(into: TraceStep[], step: TraceStep): void {
    into.push(step);
    this.#activity++;
  }

  /** Writes `action` on the wire and returns the event it is to the session, or null if it reached none. */
  #carry(action: WorldAction, rig: Rig): Promise<SessionEvent | null> {
    switch (action.by) {
      case 'clock':
        return Promise.resolve(rig.cf.clock.fire(action.timer, action.leg) ? sessionEventOf(action) : null);
      case 'xdms':
        return this.#answerXdms(action.answer, rig);
      case 'originator':
        return this.#carryOriginator(action, rig);
      case 'member':
        return this.#carryMember(action, rig);
    }
  }

  async #carryOriginator(action: Extract<WorldAction, { by: 'originator' }>, rig: Rig): Promise<SessionEvent | null> {
    const { sip, msrp } = rig;
    const taken = (yes: boolean): SessionEvent | null => (yes ? sessionEventOf(action) : null);
    switch (action.act) {
      case 'INVITE':
        return this.#sendInvite(action.invite, rig);
      case 'CANCEL':
        return taken(await sip.cancel());
      case 'ACK':
        sip.ack();
        return taken(true);
      case 'BYE':
        return taken(await sip.inDialog('BYE'));
      case 'REFRESH':
        return taken(await sip.inDialog('UPDATE'));
      case 'REFRESH_UNANSWERED':
        return taken(sip.refreshUnanswered());
      case 'SEND': {
        // The relay tells the session of each chunk it takes (`media-tap.ts`).
        const cfUri = sip.focusAnswer?.path.at(-1);
        if (cfUri !== undefined) await msrp.send(action.chunk, cfUri);
        return null;
      }
    }
  }

  async #carryMember(action: Extract<WorldAction, { by: 'member' }>, rig: Rig): Promise<SessionEvent | null> {
    const { sip, msrp } = rig;
    const taken = (yes: boolean): SessionEvent | null => (yes ? sessionEventOf(action) : null);
    switch (action.act) {
      case 'RING':
        sip.answerInvite(action.leg, 180, null);
        return taken(true);
      case 'ANSWER':
        return this.#answerInvite(action.leg, action.answer, rig);
      case 'BYE':
        return taken(await sip.memberBye(action.leg));
      case 'BYE_OK':
        return taken(sip.answerBye(action.leg));
      // The relay tells the session what these did to the connection (`media-tap.ts`).
      case 'CONNECT':
        await msrp.connect(action.leg);
        return null;
      case 'DROP':
        await msrp.drop(action.leg);
        return null;
      case 'READ':
        await msrp.read(action.leg, action.bytes);
        return null;
    }
  }

  /** The originator's INVITE, with its real MSRP endpoint as the offer's a=path; done once the CF has answered it or asked the XDMS. */
  async #sendInvite(summary: InviteSummary, { cf, sip, msrp }: Rig): Promise<SessionEvent> {
    const offer = summary.offer === null ? null : { ...summary.offer, path: [await msrp.originatorPath(summary.offer.setup === 'passive')] };
    const invite = { ...summary, offer };
    this.#invite = invite;
    sip.invite(invite);
    await this.#until(() => sip.answered || cf.xdms.received > 0, 'final response to the INVITE nor XCAP request for its group');
    return { type: 'INVITE', invite };
  }

  /** The XDMS answers; a CF still checking the INVITE reacts with a final response or its INVITEs to members. */
  async #answerXdms(answer: XdmsAnswer, { cf, sip }: Rig): Promise<SessionEvent> {
    const { held, event } = xdmsOnWire(answer);
    if (answer.kind === 'found') sip.learnGroup(answer.group);
    const [answered, invites] = [sip.answered, sip.invites];
    await cf.xdms.answer(held);
    if (!answered) await this.#until(() => sip.answered || sip.invites > invites, 'final response nor INVITE to a member after the group document');
    return event;
  }

  /**
   * A member's final answer. An accepting member gets an MSRP endpoint of its own for its a=path;
   * one out of reach is answered for by the proxy with 408 (RFC 3261 §16.8), which the CF takes
   * as any refusal.
   */
  async #answerInvite(leg: LegIndex, answer: MemberAnswer, { sip, msrp }: Rig): Promise<SessionEvent> {
    if (answer.kind !== 'accept') {
      const status = answer.kind === 'reject' ? answer.status : 408;
      sip.answerInvite(leg, status, null);
      return { type: 'MEMBER', leg, event: { type: 'MEMBER_REJECTED', status } };
    }
    const cfUri = sip.memberOffer(leg).path.at(-1) ?? '';
    const media = answer.answer === null ? null : { ...answer.answer, path: [await msrp.memberPath(leg, answer.answer.setup === 'active', cfUri)] };
    sip.answerInvite(leg, 200, media);
    return { type: 'MEMBER', leg, event: { type: 'MEMBER_ACCEPTED', answer: media } };
  }

  async #idle(action: WorldAction, rig: Rig): Promise<void> {
    const deadline = Date.now() + IDLE_MS;
    for (;;) {
      const awaited = this.#awaited(rig);
      if (Date.now() > deadline) {
        throw new Error(`after ${describeAction(action)} the CF was not idle within ${IDLE_MS} ms: ${awaited === undefined ? 'it kept acting' : `still awaiting ${awaited}`}; ${this.describe()}`);
      }
      if (awaited !== undefined) await turn();
      else if (rig.sip.unconfirmed) await rig.sip.confirm();
      else {
        const before = this.#fingerprint(rig);
        for (let i = 0; i < QUIET_TURNS; i++) await turn();
        if (this.#fingerprint(rig) === before) return;
      }
    }
  }

  /** What the CF has yet to show after what it was seen doing, if anything. */
  #awaited({ cf, msrp }: Rig): string | undefined {
    this.#noteFetches(cf);
    // A session released meanwhile has dropped the connections it was opening.
    const connection = cf.cf.stats().sessions > 0 ? msrp.awaitedConnection() : undefined;
    if (connection !== undefined) return connection;
    const [relay, peers] = [cf.relay.openConnections, msrp.openConnections];
    return relay === peers ? undefined : `as many MSRP connections at the peers as at the relay (${peers}, ${relay})`;
  }

  #fingerprint({ cf }: Rig): string {
    return `${this.#activity} ${cf.relay.openConnections} ${cf.cf.stats().sessions}`;
  }

  /** The XCAP request of the CF is its `xdm.fetchGroupDocument` (INV-1, INV-2, INV-9). */
  #noteFetches(cf: LoopbackCf): void {
    for (; this.#fetches < cf.xdms.received; this.#fetches++) {
      this.#observe(this.#wire, { effect: { type: 'xdm.fetchGroupDocument', groupUri: this.#invite?.groupUri ?? '' } });
    }
  }

  async #until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${WAIT_MS} ms; ${this.describe()}`);
      await turn();
    }
  }

  /**
   * Into the trace: the action's event; what the CF sent and what it did inside, the side the
   * action reached first (the relay, for an action over MSRP); and its release once it holds no session.
   */
  #flush(event: SessionEvent | null, insideFirst: boolean): void {
    if (event !== null) this.#record({ event });
    const [first, then] = insideFirst ? [this.#inside, this.#wire] : [this.#wire, this.#inside];
    for (const step of [...first.splice(0), ...then.splice(0)]) this.#record(step);
    if (this.#invite !== undefined && this.#rig?.cf.cf.stats().sessions === 0) {
      this.#released = true;
      this.#record({ effect: { type: 'session.release' } });
    }
  }
}

export const socketExecutor: CfFactory = (policy, record) => new SocketCf(policy, record);
