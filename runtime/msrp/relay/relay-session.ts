/**
 * One session's media (`MediaSession`): its spool, the originator's side and a leg per member,
 * each reached through the one listener by the session-id in the To-Path. The session host calls
 * the methods when the machines emit MSRP effects; what happens on the wire comes back as
 * `MediaEvents`.
 */
import { focusMsrpUri } from '../../../machines/media.ts';
import type { FocusMedia, LegIndex, MsrpMedia } from '../../../machines/types.ts';
import type { MediaEvents, MediaSession } from '../../media.ts';
import type { MsrpRequestHead } from '../frame.ts';
import { parseMsrpUri, type MsrpUri } from '../uri.ts';
import type { FrameSink, MsrpConnection } from './connection.ts';
import type { FocusTarget } from './focus-path.ts';
import { MemberLeg, type MemberLegHost } from './member-leg.ts';
import type { RelayConfig } from './options.ts';
import { OriginatorSide } from './originator-side.ts';
import type { RelayError } from './relay-errors.ts';
import { Spool } from './spool.ts';

/** What a session needs of the relay that hosts it. */
export interface SessionHost {
  readonly config: RelayConfig;
  connect(uri: MsrpUri): MsrpConnection;
  /** The session is released: forget its session-id; `cleanup` settles when its spool is gone. */
  forget(sessionId: string, cleanup: Promise<void>): void;
}

export class RelaySession implements MediaSession {
  readonly #host: SessionHost;
  readonly #focus: FocusMedia;
  readonly #spool: Spool;
  readonly #originator: OriginatorSide;
  readonly #legs = new Map<LegIndex, MemberLeg>();
  /** What every member leg of the session needs of it, shared by the legs. */
  readonly #legHost: MemberLegHost;
  #released = false;

  constructor(host: SessionHost, focus: FocusMedia, events: MediaEvents) {
    this.#host = host;
    this.#focus = focus;
    const config = host.config;
    this.#spool = new Spool(
      { memoryBytes: config.memorySpoolBytes, tailBytes: tailBytesOf(config), diskWindowBytes: config.windowBytes, directory: config.spoolDir },
      {
        grew: () => {
          for (const leg of this.#legs.values()) leg.wake();
        },
        flushed: () => this.#resumeIfPaced(),
        failed: (error) => this.#spoolFailed(error),
      },
    );
    this.#originator = new OriginatorSide({
      ownUri: this.#uriOf('originator'),
      spool: this.#spool,
      config,
      events,
      connect: (uri) => host.connect(uri),
      shouldPause: () => this.#shouldPause(),
    });
    this.#legHost = {
      spool: this.#spool,
      config,
      events,
      connect: (uri) => host.connect(uri),
      changed: () => this.#resumeIfPaced(),
    };
  }

  /** Memory the spool holds: its in-memory share and what the disk still owes. */
  get spooledMemoryBytes(): number {
    return this.#spool.memoryBytes;
  }

  expectOriginator(answer: MsrpMedia): void {
    this.#checkOpen('expectOriginator');
    this.#originator.expect(answer);
  }

  connectOriginator(offer: MsrpMedia): void {
    this.#checkOpen('connectOriginator');
    this.#originator.connectTo(offer);
  }

  connectMember(leg: LegIndex, answer: MsrpMedia): void {
    this.#checkOpen('connectMember');
    this.#addLeg(leg, (legHost, ownUri) => MemberLeg.connect(legHost, leg, ownUri, answer));
  }

  awaitMember(leg: LegIndex, answer: MsrpMedia): void {
    this.#checkOpen('awaitMember');
    this.#addLeg(leg, (legHost, ownUri) => MemberLeg.await(legHost, leg, ownUri, answer));
  }

  relayToMember(leg: LegIndex): void {
    this.#checkOpen('relayToMember');
    this.#legOf(leg, 'relayToMember').relay();
  }

  abortDelivery(leg: LegIndex): void {
    this.#checkOpen('abortDelivery');
    this.#legOf(leg, 'abortDelivery').abort();
  }

  /** A leg the relay never connected (the member left before the originator's ACK) has nothing to close. */
  closeMember(leg: LegIndex): void {
    this.#checkOpen('closeMember');
    this.#legs.get(leg)?.close();
    this.#legs.delete(leg);
  }

  report(messageId: string, status: number, comment: string): void {
    this.#checkOpen('report');
    this.#originator.report(messageId, status, comment);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const leg of this.#legs.values()) leg.release();
    this.#legs.clear();
    this.#originator.close();
    this.#host.forget(this.#focus.sessionId, this.#spool.dispose());
  }

  /** A request the router found for this session. */
  accept(connection: MsrpConnection, target: FocusTarget, head: MsrpRequestHead): FrameSink | undefined {
    if (target.leg === 'originator') return this.#originator.accept(connection, head);
    const leg = this.#legs.get(target.leg);
    if (leg !== undefined) return leg.accept(connection, head);
    // RFC 4975 §7.3: no such session here: the leg was never opened to the member, or is gone.
    connection.answer(head, 481);
    return undefined;
  }

  #addLeg(leg: LegIndex, open: (legHost: MemberLegHost, ownUri: MsrpUri) => MemberLeg): void {
    if (this.#legs.has(leg)) throw new Error(`MediaSession: member leg ${leg} is already connected; closeMember(${leg}) first`);
    this.#legs.set(leg, open(this.#legHost, this.#uriOf(leg)));
  }

  /**
   * Whether to stop reading the originator: while the disk owes a window, and, past the memory
   * share, while even the furthest leg that is copying is half the spool's tail behind. Reading
   * further ahead would only push bytes out of memory that every member then reads back from the
   * file; the originator is held to the pace of the fastest member, never of a slow one, and
   * members in step stay within the tail.
   */
  #shouldPause(): boolean {
    const spool = this.#spool;
    const config = this.#host.config;
    if (spool.backlogged) return true;
    if (spool.length <= config.memorySpoolBytes) return false;
    let furthest: number | undefined;
    for (const leg of this.#legs.values()) if (leg.relaying) furthest = Math.max(furthest ?? 0, leg.position);
    return furthest !== undefined && spool.length - furthest >= tailBytesOf(config) / 2;
  }

  #resumeIfPaced(): void {
    if (!this.#released && !this.#shouldPause()) this.#originator.resume();
  }

  #legOf(leg: LegIndex, method: string): MemberLeg {
    const found = this.#legs.get(leg);
    if (found === undefined) throw new Error(`MediaSession.${method}(${leg}): no such member leg; connectMember or awaitMember it first`);
    return found;
  }

  #uriOf(leg: LegIndex | 'originator'): MsrpUri {
    const text = focusMsrpUri(this.#focus, leg);
    const uri = parseMsrpUri(text);
    if (!uri.ok) throw new TypeError(`focus ${this.#focus.authority} gives no valid MSRP URI: ${uri.reason}`);
    return uri.value;
  }

  /** Without its spool the session cannot deliver anything more: stop taking bytes and drop every leg. */
  #spoolFailed(error: RelayError): void {
    this.#host.config.logger.warn({ err: error }, 'spool failed; the session can deliver nothing more');
    this.#originator.close();
    for (const leg of [...this.#legs.values()]) leg.drop(error);
  }

  #checkOpen(method: string): void {
    if (this.#released) throw new Error(`MediaSession.${method}() after release(): the session's media is gone`);
  }
}

/**
 * What a spool keeps in memory of its newest bytes past the memory share: as much as the memory
 * share itself, and never less than two windows, so that members a window apart both fit.
 */
function tailBytesOf(config: RelayConfig): number {
  return Math.max(config.memorySpoolBytes, 2 * config.windowBytes);
}
