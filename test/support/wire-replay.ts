/**
 * The machines' model-based paths (`test/model/session-system.ts`) replayed against the running CF:
 * each event of a path becomes what causes it on the wire (the originator's INVITE, ACK, BYE, UPDATE
 * or CANCEL; a member's 180, 200, 4xx or BYE, played by an outbound proxy that answers for every
 * member; the XDMS's answer; a timer; an MSRP event of the relay), and after each step what the CF
 * did on the wire must be what the effects of the same path say, projected onto the wire.
 */
import type { CfEffect } from '../../machines/effects.ts';
import { createSessionActor } from '../../machines/effect-outlet.ts';
import { membersToInvite } from '../../machines/members.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { InviteSummary, LegIndex } from '../../machines/types.ts';
import { createResponse } from '../../runtime/sip/builders.ts';
import { getHeader, type SipMessage, type SipRequest } from '../../runtime/sip/message.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import type { CfHandle } from '../../runtime/cf.ts';
import { sessionInput } from '../model/session-system.ts';
import type { HeldXdms } from './held-xdms.ts';
import type { ManualScheduler } from './manual-scheduler.ts';
import type { RecordedSession, RecordingRelay } from './recording-relay.ts';
import { waitFor } from './wait-for.ts';
import { branchOf, memberBye, memberResponse, originatorInDialog, originatorInvite, uriOf } from './wire-messages.ts';
import { callId, rawRequest, type Received, type WirePeer } from './wire-peer.ts';

export interface World {
  readonly cf: CfHandle;
  readonly relay: RecordingRelay;
  readonly xdms: HeldXdms;
  readonly scheduler: ManualScheduler;
  readonly originator: WirePeer;
  /** The outbound proxy, which answers for every member. */
  readonly proxy: WirePeer;
}

/** A step the wire cannot cause, e.g. a refresh failing when the CF sent no refresh. */
export class Unrealisable extends Error {}

/** The model's side: the session system run event by event, its effects projected onto the wire. */
class ModelRun {
  readonly observed: string[] = [];
  private readonly timers = new Map<string, string>();
  private readonly provisional = new Set<LegIndex>();
  private opened = false;
  private readonly actor = createSessionActor(sessionInput, (effect) => this.project(effect));

  constructor() {
    this.actor.start();
  }

  send(event: SessionEvent): void {
    if (event.type === 'MEMBER' && event.event.type === 'MEMBER_PROVISIONAL') this.provisional.add(event.leg);
    if (event.type === 'TIMER') this.timers.delete(`${event.timer}:${event.leg ?? '-'}`);
    this.actor.send(event);
  }

  armedTimers(): string[] {
    return [...this.timers.values()].sort();
  }

  stop(): void {
    this.actor.stop();
  }

  private project(effect: CfEffect): void {
    if (effect.type === 'focus.open') this.opened = true;
    // A session that never opened its focus has no media session for the release to reach.
    const seen = effect.type === 'session.release' && !this.opened ? undefined : wireOf(effect, this.provisional);
    if (seen !== undefined) this.observed.push(seen);
    if (effect.type === 'timer.start') this.timers.set(`${effect.timer}:${effect.leg ?? '-'}`, `${effect.timer}:${effect.leg ?? '-'}:${effect.ms}`);
    if (effect.type === 'timer.cancel') this.timers.delete(`${effect.timer}:${effect.leg ?? '-'}`);
  }
}

/** What an effect looks like on the wire (or at the relay), in the words `WireSession.observed` uses. */
function wireOf(effect: CfEffect, provisional: ReadonlySet<LegIndex>): string | undefined {
  switch (effect.type) {
    case 'xdm.fetchGroupDocument': return 'xdms GET';
    case 'focus.open': return 'relay open';
    case 'originator.reject': return `originator ${effect.rejection.status}`;
    case 'originator.accept': return 'originator 200';
    case 'originator.answerBye': return 'originator BYE answered 200';
    case 'originator.sendBye': return 'originator got BYE';
    case 'originator.answerRefresh': return 'originator UPDATE answered 200';
    case 'originator.sendRefresh': return 'originator got UPDATE';
    case 'originator.report': return 'relay report';
    case 'originator.connectMsrp': return 'relay connectOriginator';
    case 'member.invite': return `m${effect.leg} INVITE`;
    case 'member.ack': return `m${effect.leg} ACK`;
    // RFC 3261 §9.1: the CF sends no CANCEL until the member has sent a provisional response.
    case 'member.cancel': return provisional.has(effect.leg) ? `m${effect.leg} CANCEL` : undefined;
    case 'member.bye': return `m${effect.leg} BYE`;
    case 'member.answerBye': return `m${effect.leg} BYE answered 200`;
    case 'msrp.connectMember': return `relay connectMember ${effect.leg}`;
    case 'msrp.awaitMember': return `relay awaitMember ${effect.leg}`;
    case 'msrp.relayToMember': return `relay relayToMember ${effect.leg}`;
    case 'msrp.abortDelivery': return `relay abortDelivery ${effect.leg}`;
    case 'msrp.closeMember': return `relay closeMember ${effect.leg}`;
    case 'session.release': return 'relay release';
    default: return undefined;
  }
}

const RELAY_PROJECTION: Record<string, string> = { expectOriginator: '', report: 'relay report', connectOriginator: 'relay connectOriginator', release: 'relay release' };

/** The wire's side of one replayed session. */
class WireSession {
  private readonly id = callId();
  private readonly contribution = `contribution-${this.id}`;
  private readonly members: string[];
  private readonly relayBefore: number;
  private readonly xdmsBefore: number;
  /** Where this session's messages start in each peer's log (earlier sessions' retransmissions only come later). */
  private readonly originatorStart: number;
  private readonly proxyStart: number;
  private cseq = 1;
  private invite: InviteSummary | undefined;

  constructor(private readonly world: World, invite: InviteSummary, group: Parameters<typeof membersToInvite>[0]) {
    this.members = membersToInvite(group, invite.authenticatedOriginator).map((m) => m.uri);
    this.relayBefore = world.relay.sessions.length;
    this.xdmsBefore = world.xdms.received;
    this.originatorStart = world.originator.received.length;
    this.proxyStart = world.proxy.received.length;
  }

  private get atOriginator(): Received[] {
    return this.world.originator.received.slice(this.originatorStart);
  }

  private get atProxy(): Received[] {
    return this.world.proxy.received.slice(this.proxyStart);
  }

  /** Everything the CF did for this session so far, in the projection's words, sorted. */
  observed(): string[] {
    const seen: string[] = [];
    const { xdms } = this.world;
    const [atOriginator, atProxy] = [this.atOriginator, this.atProxy];
    for (let i = this.xdmsBefore; i < xdms.received; i++) seen.push('xdms GET');
    const mine = (r: Received): r is Received & { message: SipMessage } => r.message !== undefined && getHeader(r.message, 'call-id') === this.id;
    const once = new Set<string>();
    // The CF's own requests towards the originator go through the outbound proxy too (RFC 3261 §8.1.2).
    for (const r of [...atOriginator, ...atProxy].filter(mine)) {
      const m = r.message;
      const cseq = getHeader(m, 'cseq') ?? '';
      if (m.kind === 'request' && (m.method === 'BYE' || m.method === 'UPDATE')) once.add(`originator got ${m.method}|${cseq}`);
      if (m.kind === 'response' && m.status >= 200) {
        const method = cseq.split(' ')[1];
        if (method === 'INVITE' && cseq.startsWith('1 ')) once.add(`originator ${m.status}|`);
        else if ((method === 'BYE' || method === 'UPDATE') && m.status === 200) once.add(`originator ${method} answered 200|${cseq}`);
      }
    }
    const legOf = new Map<string, { leg: number; branch: string }>();
    for (const r of atProxy) {
      const m = r.message;
      if (m?.kind !== 'request' || m.method !== 'INVITE' || getHeader(m, 'contribution-id') !== this.contribution) continue;
      const leg = this.members.indexOf(uriOf(getHeader(m, 'to')));
      legOf.set(getHeader(m, 'call-id') ?? '', { leg, branch: branchOf(m) });
    }
    for (const r of atProxy) {
      const m = r.message;
      const call = m === undefined ? undefined : legOf.get(getHeader(m, 'call-id') ?? '');
      if (m === undefined || call === undefined) continue;
      const cseq = getHeader(m, 'cseq') ?? '';
      // The ACK of a 300-699 belongs to the INVITE's transaction (RFC 3261 §17.1.1.3), not to the leg.
      if (m.kind === 'request' && !(m.method === 'ACK' && branchOf(m) === call.branch)) once.add(`m${call.leg} ${m.method}|${cseq}`);
      if (m.kind === 'response' && m.status === 200 && cseq.endsWith('BYE')) once.add(`m${call.leg} BYE answered 200|${cseq}`);
    }
    for (const key of once) seen.push(key.split('|')[0]!);
    const session = this.relaySession();
    if (session !== undefined) {
      seen.push('relay open');
      for (const call of session.calls) {
        const projected = RELAY_PROJECTION[call.method] ?? `relay ${call.method} ${call.leg}`;
        if (projected !== '') seen.push(projected);
      }
    }
    return seen.sort();
  }

  async perform(event: SessionEvent): Promise<void> {
    const { originator, proxy, xdms, scheduler } = this.world;
    switch (event.type) {
      case 'INVITE':
        this.invite = event.invite;
        originator.send(originatorInvite(event.invite, originator, this.id, this.contribution));
        await waitFor(() => this.atOriginator.find((r) => r.status === 100 && r.raw.includes(this.id)), '100 Trying', 3000);
        return;
      case 'GROUP_DOCUMENT_FOUND':
        return xdms.answer({ kind: 'found', group: event.group });
      case 'GROUP_DOCUMENT_NOT_FOUND':
        return xdms.answer({ kind: 'not-found' });
      case 'GROUP_DOCUMENT_UNAVAILABLE':
        return xdms.answer({ kind: 'unavailable', retryAfter: event.retryAfter ?? 0 });
      case 'CANCEL':
        originator.send(rawRequest({ method: 'CANCEL', uri: this.invite?.groupUri ?? '', peer: originator, callId: this.id }));
        await originator.finalResponse(this.id, 'CANCEL');
        return;
      case 'ACK':
        originator.send(this.inDialog('ACK', 1));
        return originator.ping(this.world.cf.sipPort);
      case 'BYE':
      case 'REFRESH': {
        const method = event.type === 'BYE' ? 'BYE' : 'UPDATE';
        const cseq = ++this.cseq;
        originator.send(this.inDialog(method, cseq));
        await waitFor(() => this.atOriginator.find((r) => r.status !== undefined && r.status >= 200 && r.raw.includes(this.id) && r.raw.includes(`CSeq: ${cseq} ${method}`)), `the answer to ${method}`, 3000);
        return;
      }
      case 'REFRESH_FAILED': {
        const refresh = this.atProxy.find((r) => r.message?.kind === 'request' && r.message.method === 'UPDATE' && r.raw.includes(this.id));
        if (refresh?.message === undefined) throw new Unrealisable('REFRESH_FAILED without a refresh of the CF to fail');
        proxy.send(serializeMessage(createResponse(refresh.message, 481)), this.world.cf.sipPort);
        return proxy.ping(this.world.cf.sipPort);
      }
      case 'TIMER':
        if (!scheduler.fire(event.timer, event.leg)) throw new Unrealisable(`TIMER ${event.timer} ${event.leg ?? ''} was never armed on the wire`);
        return;
      case 'SEND':
        this.relaySession()?.events.onSend({ messageId: event.messageId, flag: event.flag, successReport: event.successReport, failureReport: event.failureReport });
        return;
      case 'MEMBER_MESSAGE_DELIVERED':
        this.relaySession()?.events.onMemberDelivered(event.leg, event.messageId);
        return;
      case 'MEMBER':
        return this.member(event.leg, event.event);
      default:
        throw new Unrealisable(`${event.type} has no cause on the wire`);
    }
  }

  private async member(leg: LegIndex, event: MemberLegEvent): Promise<void> {
    const { proxy, cf } = this.world;
    const relay = this.relaySession();
    switch (event.type) {
      case 'MSRP_CONNECTED':
        return relay?.events.onMemberConnected(leg);
      case 'MSRP_FAILED':
        return relay?.events.onMemberFailed(leg);
      case 'CAUGHT_UP':
        return relay?.events.onMemberCaughtUp(leg);
      case 'BYE_COMPLETED': {
        const bye = await this.fromCf(leg, 'BYE');
        proxy.send(serializeMessage(createResponse(bye, 200)), cf.sipPort);
        return proxy.ping(cf.sipPort);
      }
      case 'MEMBER_BYE': {
        const invite = await this.fromCf(leg, 'INVITE');
        const id = getHeader(invite, 'call-id') ?? '';
        proxy.send(memberBye(invite, leg, this.members[leg] ?? '', proxy), cf.sipPort);
        await waitFor(() => this.atProxy.find((r) => r.status === 200 && r.raw.includes(`Call-ID: ${id}`) && r.raw.includes('CSeq: 2 BYE')), 'the answer to the member BYE', 3000);
        return;
      }
      default: {
        const invite = await this.fromCf(leg, 'INVITE');
        const status = event.type === 'MEMBER_PROVISIONAL' ? 180 : event.type === 'MEMBER_ACCEPTED' ? 200 : event.type === 'MEMBER_REJECTED' ? event.status : 408;
        const answer = event.type === 'MEMBER_ACCEPTED' ? event.answer : null;
        proxy.send(serializeMessage(memberResponse(invite, leg, status, answer, proxy)), cf.sipPort);
        return proxy.ping(cf.sipPort);
      }
    }
  }

  /** The newest request `method` of this session's leg `leg` that reached the proxy. */
  private fromCf(leg: LegIndex, method: string): Promise<SipRequest> {
    return waitFor(() => {
      const atProxy = this.atProxy;
      const invites = atProxy.filter((r) => r.message?.kind === 'request' && r.message.method === 'INVITE' && getHeader(r.message, 'contribution-id') === this.contribution && uriOf(getHeader(r.message, 'to')) === this.members[leg]);
      const id = invites[0]?.message === undefined ? undefined : getHeader(invites[0].message, 'call-id');
      const found = atProxy.filter((r) => r.message?.kind === 'request' && r.message.method === method && getHeader(r.message, 'call-id') === id).at(-1)?.message;
      return found?.kind === 'request' ? found : undefined;
    }, `${method} of leg ${leg}`, 3000);
  }

  private relaySession(): RecordedSession | undefined {
    return this.world.relay.sessions[this.relayBefore];
  }

  private inDialog(method: string, cseq: number): string {
    const ok = this.atOriginator.find((r) => r.status === 200 && r.raw.includes(this.id) && r.raw.includes('CSeq: 1 INVITE'));
    return originatorInDialog(method, cseq, ok, this.world.originator, this.id);
  }
}

export interface StepMismatch {
  readonly step: number;
  readonly event: SessionEvent;
  readonly expected: { wire: string[]; timers: string[] };
  readonly actual: { wire: string[]; timers: string[] };
}

/**
 * Replays `events` (a path that starts with INVITE and, if it gets that far, GROUP_DOCUMENT_FOUND)
 * and returns the first step where the wire differs from the model, or null when none does.
 * @throws {Unrealisable} when a step has no cause on the wire.
 */
export async function replay(world: World, events: readonly SessionEvent[]): Promise<StepMismatch | null> {
  const first = events[0];
  if (first?.type !== 'INVITE') throw new Unrealisable('a path must start with INVITE');
  if (events.some((e) => e.type === 'SHUTDOWN')) throw new Unrealisable('SHUTDOWN stops the CF every path shares');
  const found = events.find((e) => e.type === 'GROUP_DOCUMENT_FOUND');
  world.scheduler.begin();
  const model = new ModelRun();
  const wire = new WireSession(world, first.invite, found?.type === 'GROUP_DOCUMENT_FOUND' ? found.group : { uri: '', members: [], supportedServices: [], rules: [] });
  try {
    for (const [step, event] of events.entries()) {
      await wire.perform(event);
      model.send(event);
      const expected = { wire: [...model.observed].sort(), timers: model.armedTimers() };
      const matches = () => JSON.stringify(wire.observed()) === JSON.stringify(expected.wire) && JSON.stringify(world.scheduler.current()) === JSON.stringify(expected.timers);
      await waitFor(() => (matches() ? true : undefined), 'the wire to show the step', 2000).catch(() => undefined);
      if (!matches()) return { step, event, expected, actual: { wire: wire.observed(), timers: world.scheduler.current() } };
    }
    return null;
  } finally {
    model.stop();
    world.xdms.release();
  }
}
