/**
 * The CF's transaction user (RFC 3261 §8.2, §12.2.2): it vets every request the way a UAS must
 * (400, 405, 416, 420, 415, 483, 481), answers OPTIONS, starts one group session per initial INVITE
 * (503 with Retry-After at the configured limit), and routes everything else to the session and leg
 * whose dialog it belongs to.
 */
import type { Logger } from 'pino';
import type { CfPolicy } from '../machines/types.ts';
import type { MediaRelay } from './media.ts';
import { GroupSession, type LegRef, type SessionRegistry } from './b2bua/group-session.ts';
import type { Signalling } from './b2bua/signalling.ts';
import { endStrayDialog } from './b2bua/stray-dialog.ts';
import { optionTags, summariseInvite } from './invite-summary.ts';
import { parseMsrpSdp } from './sdp.ts';
import type { ResponseOptions } from './sip/builders.ts';
import { requestDialogKey, responseDialogKey, tagOf, type Dialog } from './sip/dialog.ts';
import { parseContentType } from './sip/headers/content-type.ts';
import { checkKnownHeaders } from './sip/headers/known-headers.ts';
import { parseContact } from './sip/headers/name-addr.ts';
import { parseMaxForwards } from './sip/headers/scalars.ts';
import { getHeader, header, type SipHeader, type SipRequest, type SipResponse } from './sip/message.ts';
import type { ServerTransaction, TransactionUser } from './sip/transaction-layer.ts';
import { cseqOf } from './sip/transaction-keys.ts';
import type { MessageSource } from './sip/transport-types.ts';
import type { TimerScheduler } from './timers.ts';
import type { GroupSource } from './xdm/xcap-client.ts';

/** RFC 3261 §8.2.2.3: the option tags the CF supports (RFC 4028 session timers). */
const SUPPORTED_OPTIONS = new Set(['timer']);

export interface SessionHostOptions {
  readonly signalling: Signalling;
  readonly policy: CfPolicy;
  readonly xdms: GroupSource;
  readonly relay: MediaRelay;
  readonly scheduler: TimerScheduler;
  readonly logger: Logger;
  /** Open question 3: whether a packet source is a trusted hop whose P-Asserted-Identity is believed. */
  readonly trusted: (address: string) => boolean;
  /** Sessions at once; an INVITE beyond gets 503 with `Retry-After: retryAfterSeconds`. */
  readonly maxSessions: number;
  readonly retryAfterSeconds: number;
}

export class SessionHost implements TransactionUser, SessionRegistry {
  private readonly sessions = new Set<GroupSession>();
  private readonly byInvite = new Map<ServerTransaction, GroupSession>();
  private readonly dialogs = new Map<string, { session: GroupSession; leg: LegRef }>();
  private readonly drainWaiters = new Set<() => void>();
  private readonly methods: ReadonlySet<string>;
  private closing = false;

  constructor(private readonly options: SessionHostOptions) {
    this.methods = new Set(options.policy.allow);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  onRequest(transaction: ServerTransaction): void {
    const request = transaction.request;
    // RFC 3261 §21.4.1: a request whose headers do not follow their grammar is a 400.
    const fault = checkKnownHeaders(request);
    if (fault !== undefined) return this.reply(transaction, fault.status, { reason: fault.reason });
    // RFC 3261 §8.2.1: "If a UAS receives a request whose method it does not support, it MUST reject
    // it with a 405 (Method Not Allowed) ... The UAS MUST also add an Allow header field".
    if (!this.methods.has(request.method)) return this.reply(transaction, 405, { headers: [this.allow()] });
    // RFC 3261 §8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it SHOULD reject
    // the request with a 416 (Unsupported URI Scheme) response." The CF speaks sip: only (no TLS).
    if (request.uri.kind !== 'sip' || request.uri.scheme !== 'sip') return this.reply(transaction, 416);
    // RFC 3261 §8.2.2.3: "If a UAS does not understand an option-tag listed in a Require header
    // field, it MUST respond by generating a response with status code 420 (Bad Extension). The UAS
    // MUST add an Unsupported header field, and list in it those options it does not understand".
    const unsupported = [...optionTags(request, 'require')].filter((tag) => !SUPPORTED_OPTIONS.has(tag));
    if (unsupported.length > 0) return this.reply(transaction, 420, { headers: [header('Unsupported', unsupported.join(', '))] });
    if (tagOf(request, 'to') !== undefined) return this.inDialog(transaction);
    if (request.method === 'INVITE') return this.newSession(transaction);
    if (request.method === 'OPTIONS') return this.answerOptions(transaction);
    // RFC 3261 §12.2.2 / §15.1.2: BYE, UPDATE… outside any dialog: 481 (Call/Transaction Does Not Exist).
    this.reply(transaction, 481);
  }

  onCancel(invite: ServerTransaction): void {
    this.byInvite.get(invite)?.cancel();
  }

  onAck(ack: SipRequest, source: MessageSource): void {
    const key = requestDialogKey(ack);
    const route = key === undefined ? undefined : this.dialogs.get(key);
    if (route === undefined) {
      this.options.logger.debug({ source }, 'ACK for no dialog ignored');
      return;
    }
    route.session.ack(route.leg, ack);
  }

  /**
   * A response no transaction wanted. A 2xx to an INVITE of a dialog the CF no longer has (a leg
   * given up, a second fork) is ACKed and ended with BYE (RFC 3261 §13.2.2.4); anything else is dropped.
   */
  onStrayResponse(response: SipResponse, source: MessageSource): void {
    const isInviteOk = response.status >= 200 && response.status < 300 && cseqOf(response).method === 'INVITE';
    const key = responseDialogKey(response);
    if (isInviteOk && (key === undefined || !this.dialogs.has(key))) {
      endStrayDialog(this.options.signalling, response, undefined, source.protocol);
      return;
    }
    this.options.logger.debug({ status: response.status, source }, 'stray response dropped');
  }

  dialogCreated(session: GroupSession, leg: LegRef, dialog: Dialog): void {
    this.dialogs.set(dialog.key, { session, leg });
    session.dialogKeys.push(dialog.key);
    // The INVITE has its 200 OK: no CANCEL reaches it any more (RFC 3261 §9.2), and the session,
    // held for as long as the dialog, lets its transaction go (with the whole INVITE it holds).
    if (leg === 'originator' && session.invite !== undefined) this.byInvite.delete(session.invite);
  }

  released(session: GroupSession): void {
    this.sessions.delete(session);
    for (const key of session.dialogKeys) this.dialogs.delete(key);
    if (session.invite !== undefined) this.byInvite.delete(session.invite);
    if (this.sessions.size === 0) for (const resolve of this.drainWaiters) resolve();
  }

  /**
   * Ends every session (CANCEL or BYE on every leg, per `GroupSession.shutdown`), waits for them
   * to end, hurries the stragglers' timers after half of `graceMs`, and releases what is left at
   * the end of it. New INVITEs get 503 meanwhile.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    for (const session of [...this.sessions]) session.shutdown();
    await this.drained(graceMs / 2);
    for (const session of [...this.sessions]) session.hurry();
    await this.drained(graceMs / 2);
    for (const session of [...this.sessions]) session.forceRelease();
  }

  private drained(ms: number): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.drainWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.drainWaiters.add(done);
    });
  }

  private inDialog(transaction: ServerTransaction): void {
    const request = transaction.request;
    const key = requestDialogKey(request);
    const route = key === undefined ? undefined : this.dialogs.get(key);
    // RFC 3261 §12.2.2: "If the UAS receives a request ... [with] a tag in the To header field ...
    // [that] does not match any existing dialogs ... the UAS ... MUST respond with a 481".
    if (route === undefined) return this.reply(transaction, 481);
    if (request.method === 'BYE') route.session.bye(route.leg, transaction);
    else if (request.method === 'INVITE' || request.method === 'UPDATE') route.session.refresh(route.leg, transaction);
    else this.answerOptions(transaction);
  }

  private newSession(transaction: ServerTransaction): void {
    const request = transaction.request;
    const refusal = this.refuseInvite(request);
    if (refusal !== undefined) return this.reply(transaction, refusal.status, refusal.options);
    const sdp = request.body.length > 0 ? parseMsrpSdp(request.body) : undefined;
    if (sdp?.ok === false) return this.reply(transaction, 400, { reason: 'Malformed SDP' });
    const summary = summariseInvite(request, transaction.source, this.options.trusted, sdp?.ok === true ? sdp.media : null);
    const conversation = request.headers.filter((h) => h.key === 'contribution-id' || h.key === 'conversation-id');
    const session = new GroupSession({ ...this.options, registry: this }, transaction, summary, conversation);
    this.sessions.add(session);
    this.byInvite.set(transaction, session);
    session.start();
  }

  /** The reasons an initial INVITE is refused before any session exists. */
  private refuseInvite(request: SipRequest): { status: number; options: ResponseOptions } | undefined {
    const maxForwards = parseMaxForwards(getHeader(request, 'max-forwards') ?? '70');
    // RFC 3261 §16.3 (the CF forwards the INVITE to every member as a B2BUA): "If the Max-Forwards
    // value is 0 ... the element MUST NOT forward the request ... [and] MUST return a 483".
    if (maxForwards.ok && maxForwards.value === 0) return { status: 483, options: {} };
    if (this.closing || this.sessions.size >= this.options.maxSessions) {
      return { status: 503, options: { headers: [header('Retry-After', String(this.options.retryAfterSeconds))] } };
    }
    // RFC 3261 §8.1.1.8: "The Contact header field MUST be present and contain exactly one SIP or
    // SIPS URI in any request that can result in the establishment of a dialog."
    const contact = parseContact(getHeader(request, 'contact') ?? '');
    if (!contact.ok || contact.value === '*' || contact.value.length !== 1) return { status: 400, options: { reason: 'Missing Contact' } };
    if (request.body.length === 0) return undefined;
    // RFC 3261 §8.2.3: "If a UAS does not understand the body ... it MUST reject the request with a
    // 415 ... The response MUST contain an Accept header field listing the types of all bodies it
    // understands"; the same for an unknown Content-Encoding, with Accept-Encoding.
    const type = parseContentType(getHeader(request, 'content-type') ?? '');
    if (!type.ok || type.value.type !== 'application' || type.value.subtype !== 'sdp') {
      return { status: 415, options: { headers: [header('Accept', 'application/sdp')] } };
    }
    const encoding = getHeader(request, 'content-encoding');
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return { status: 415, options: { headers: [header('Accept-Encoding', 'identity')] } };
    }
    return undefined;
  }

  /** RFC 3261 §11.2: the capabilities: Allow, Accept, Supported. */
  private answerOptions(transaction: ServerTransaction): void {
    this.reply(transaction, 200, { headers: [this.allow(), header('Accept', 'application/sdp'), header('Supported', 'timer')] });
  }

  private allow(): SipHeader {
    return header('Allow', this.options.policy.allow.join(', '));
  }

  private reply(transaction: ServerTransaction, status: number, options: ResponseOptions = {}): void {
    transaction.respond(this.options.signalling.response(transaction.request, status, options));
  }
}
