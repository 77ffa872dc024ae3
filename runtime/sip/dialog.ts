/**
 * Dialogs (RFC 3261 §12): the state a UA keeps for one peer-to-peer relationship — Call-ID, tags,
 * local and remote URIs and sequence numbers, the remote target and the route set — built from the
 * INVITE and its 2xx on either side, and the in-dialog requests built from it.
 *
 * A dialog lives as long as its session, so it keeps its values as strings of their own (see
 * `detached`): taken as parsed, each tag, URI and Call-ID would be a slice of the message it came
 * from and keep all of it alive (issue 7's heap snapshot: a member's whole 200 OK text per leg).
 */
import { detached } from '../detached-string.ts';
import { createRequest, type ViaParts } from './builders.ts';
import { formatNameAddr, nameAddrTag, parseContact, parseNameAddrList, type NameAddr } from './headers/name-addr.ts';
import { getHeader, getHeaders, header, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import { setParam, type Param } from './params.ts';
import { cseqOf, nameAddrOf } from './transaction-keys.ts';
import type { Uri, UriHeader } from './uri.ts';

/** The key a dialog is found by: Call-ID, then the local tag, then the remote tag (§12). */
export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** The key of the dialog a received request belongs to: To carries the receiver's (local) tag (§12.2.2). */
export function requestDialogKey(request: SipRequest): string | undefined {
  const to = tagOf(request, 'to');
  const from = tagOf(request, 'from');
  const callId = getHeader(request, 'call-id');
  return to === undefined || from === undefined || callId === undefined ? undefined : dialogKey(callId, to, from);
}

/** The key of the dialog a received response belongs to: From carries the receiver's (local) tag. */
export function responseDialogKey(response: SipResponse): string | undefined {
  const to = tagOf(response, 'to');
  const from = tagOf(response, 'from');
  const callId = getHeader(response, 'call-id');
  return to === undefined || from === undefined || callId === undefined ? undefined : dialogKey(callId, from, to);
}

export function tagOf(message: Pick<SipMessage, 'headers'>, name: 'to' | 'from'): string | undefined {
  const parsed = nameAddrOf(message, name);
  return parsed === undefined ? undefined : nameAddrTag(parsed);
}

export interface InDialogParts {
  readonly via: ViaParts;
  /** The CSeq number; defaults to the next local one (ACK and CANCEL reuse the INVITE's, §13.2.2.4, §9.1). */
  readonly cseq?: number;
  readonly contact?: NameAddr;
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
  readonly contentType?: string;
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** See `dialogKey`; made once, as the session host keeps it for as long as the dialog. */
  readonly key: string;
  readonly routeSet: readonly NameAddr[];
  private readonly localUri: NameAddr;
  private readonly remoteUri: NameAddr;
  private target: Uri;
  private localSeq: number;
  private remoteSeq: number | null;

  /** Every string is stored detached from the message it was parsed from (see the file's header). */
  private constructor(callId: string, localTag: string, remoteTag: string, localUri: NameAddr, remoteUri: NameAddr, target: Uri, routeSet: readonly NameAddr[], localSeq: number, remoteSeq: number | null) {
    this.callId = detached(callId);
    this.localTag = detached(localTag);
    this.remoteTag = detached(remoteTag);
    this.key = detached(dialogKey(this.callId, this.localTag, this.remoteTag));
    this.localUri = detachedNameAddr(localUri);
    this.remoteUri = detachedNameAddr(remoteUri);
    this.target = detachedUri(target);
    this.routeSet = routeSet.map(detachedNameAddr);
    this.localSeq = localSeq;
    this.remoteSeq = remoteSeq;
  }

  /**
   * RFC 3261 §12.1.1, the UAS side: "The route set MUST be set to the list of URIs in the
   * Record-Route header field from the request, taken in order ... The remote target MUST be set to
   * the URI from the Contact header field of the request ... The remote sequence number MUST be set
   * to the value of the sequence number in the CSeq header field of the request. The local sequence
   * number MUST be empty." Undefined when the request lacks a usable Contact.
   */
  static asUas(request: SipRequest, localTag: string): Dialog | undefined {
    const target = contactUri(request);
    const from = nameAddrOf(request, 'from');
    const to = nameAddrOf(request, 'to');
    const remoteTag = from === undefined ? undefined : nameAddrTag(from);
    if (target === undefined || from === undefined || to === undefined || remoteTag === undefined) return undefined;
    // §12.2.1.1: when the local sequence number is empty "an initial value MUST be chosen"; 1 will do.
    return new Dialog(getHeader(request, 'call-id') ?? '', localTag, remoteTag, withoutTag(to), withoutTag(from), target, recordRoutes(request), 0, cseqOf(request).seq);
  }

  /**
   * RFC 3261 §12.1.2, the UAC side: "The route set MUST be set to the list of URIs in the
   * Record-Route header field from the response, taken in reverse order ... The remote target MUST
   * be set to the URI from the Contact header field of the response. The local sequence number MUST
   * be set to the value of the sequence number in the CSeq header field of the request. The remote
   * sequence number MUST be empty". A 2xx without the Contact §13.3.1.4 requires keeps the
   * Request-URI as target, so that it can still be ACKed and ended.
   */
  static asUac(request: SipRequest, response: SipResponse): Dialog | undefined {
    const target = contactUri(response) ?? request.uri;
    const from = nameAddrOf(request, 'from');
    const to = nameAddrOf(response, 'to');
    const localTag = from === undefined ? undefined : nameAddrTag(from);
    const remoteTag = to === undefined ? undefined : nameAddrTag(to);
    if (from === undefined || to === undefined || localTag === undefined || remoteTag === undefined) return undefined;
    return new Dialog(getHeader(request, 'call-id') ?? '', localTag, remoteTag, withoutTag(from), withoutTag(to), target, recordRoutes(response).reverse(), cseqOf(request).seq, null);
  }

  get remoteTarget(): Uri {
    return this.target;
  }

  /**
   * RFC 3261 §12.2.2: "If the remote sequence number was not empty, but the sequence number of the
   * request is lower than the remote sequence number, the request is out of order and MUST be
   * rejected with a 500 (Server Internal Error) response." Records the number when accepted.
   */
  acceptRemoteSeq(seq: number): boolean {
    if (this.remoteSeq !== null && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** RFC 3261 §12.2.2: a target refresh request (re-INVITE, UPDATE) with a Contact replaces the remote target. */
  refreshTarget(request: SipRequest): void {
    const target = contactUri(request);
    if (target !== undefined) this.target = detachedUri(target);
  }

  /**
   * An in-dialog request per RFC 3261 §12.2.1.1: To the remote URI and tag, From the local URI and
   * tag, the dialog's Call-ID, the next local CSeq, and the Request-URI and Route from the route set
   * (loose routing when its first URI has `lr`, strict routing otherwise).
   */
  request(method: string, parts: InDialogParts): SipRequest {
    const cseq = parts.cseq ?? ++this.localSeq;
    const first = this.routeSet[0];
    const strict = first !== undefined && !hasLr(first);
    // "If the route set is not empty, and its first URI does not contain the lr parameter, the UAC
    // MUST place the first URI from the route set into the Request-URI ... [and] MUST add the remote
    // target as the last value in the Route header field."
    const routes = strict ? [...this.routeSet.slice(1), { displayName: null, uri: this.target, params: [] }] : this.routeSet;
    const headers: SipHeader[] = routes.map((route) => header('Route', formatNameAddr(route)));
    return createRequest({
      method,
      uri: strict ? first.uri : this.target,
      from: { ...this.localUri, params: setParam(this.localUri.params, 'tag', this.localTag) },
      to: { ...this.remoteUri, params: setParam(this.remoteUri.params, 'tag', this.remoteTag) },
      callId: this.callId,
      cseq,
      via: parts.via,
      ...(parts.contact === undefined ? {} : { contact: parts.contact }),
      headers: [...headers, ...(parts.headers ?? [])],
      ...(parts.body === undefined ? {} : { body: parts.body }),
      ...(parts.contentType === undefined ? {} : { contentType: parts.contentType }),
    });
  }
}

function hasLr(route: NameAddr): boolean {
  return route.uri.kind === 'sip' && route.uri.params.some((p) => p.name.toLowerCase() === 'lr');
}

function withoutTag(value: NameAddr): NameAddr {
  return { ...value, params: value.params.filter((p) => p.name.toLowerCase() !== 'tag') };
}

function contactUri(message: Pick<SipMessage, 'headers'>): Uri | undefined {
  const contact = getHeader(message, 'contact');
  if (contact === undefined) return undefined;
  const parsed = parseContact(contact);
  return parsed.ok && parsed.value !== '*' ? parsed.value[0]?.uri : undefined;
}

function recordRoutes(message: Pick<SipMessage, 'headers'>): NameAddr[] {
  return getHeaders(message, 'record-route').flatMap((line) => {
    const parsed = parseNameAddrList(line);
    return parsed.ok ? parsed.value : [];
  });
}

/** A copy of `value` whose strings are detached from the message it was parsed from. */
function detachedNameAddr(value: NameAddr): NameAddr {
  return { displayName: value.displayName === null ? null : detached(value.displayName), uri: detachedUri(value.uri), params: value.params.map(detachedParam) };
}

function detachedUri(uri: Uri): Uri {
  switch (uri.kind) {
    case 'sip':
      return {
        ...uri,
        user: uri.user === null ? null : detached(uri.user),
        password: uri.password === null ? null : detached(uri.password),
        host: detached(uri.host),
        params: uri.params.map(detachedParam),
        headers: uri.headers.map(detachedUriHeader),
      };
    case 'tel':
      return { ...uri, number: detached(uri.number), params: uri.params.map(detachedParam) };
    default:
      return { ...uri, scheme: detached(uri.scheme), opaque: detached(uri.opaque) };
  }
}

function detachedParam(param: Param): Param {
  return { name: detached(param.name), value: param.value === null ? null : detached(param.value) };
}

function detachedUriHeader(uriHeader: UriHeader): UriHeader {
  return { name: detached(uriHeader.name), value: detached(uriHeader.value) };
}
