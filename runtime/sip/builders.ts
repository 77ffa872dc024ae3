/**
 * Building requests (RFC 3261 §8.1.1) and responses (§8.2.6) from parts, so that callers never
 * assemble the mandatory headers by hand.
 */
import type { SipParseError } from './errors.ts';
import { formatCSeq } from './headers/cseq.ts';
import { formatNameAddr, nameAddrTag, parseNameAddrHeader, type NameAddr } from './headers/name-addr.ts';
import { formatVia } from './headers/via.ts';
import { MAGIC_COOKIE, newBranch, newCallId, newTag } from './ids.ts';
import { header, receivedHeader, type SipHeader, type SipRequest, type SipResponse } from './message.ts';
import { setParam, type Param } from './params.ts';
import { reasonPhrase } from './reason-phrases.ts';
import type { Uri } from './uri.ts';

export interface ResponseOptions {
  /** Defaults to the RFC 3261 §21 phrase for the status. */
  readonly reason?: string;
  /** The UAS's tag for To when the request had none; a fresh one otherwise (§8.2.6.2). */
  readonly toTag?: string;
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
}

/**
 * A response to `request` per RFC 3261 §8.2.6.2: Via values copied in order, From, Call-ID and CSeq
 * copied, To copied with a tag added when it had none (except on 100), and Timestamp copied into a
 * 100 (§8.2.6.1).
 * @example createResponse(invite, 180, { toTag: dialogTag })
 */
export function createResponse(request: { readonly headers: readonly SipHeader[] }, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: SipHeader[] = request.headers.filter((h) => h.key === 'via');
  for (const key of ['from', 'to', 'call-id', 'cseq']) {
    const found = request.headers.find((h) => h.key === key);
    if (found === undefined) continue;
    headers.push(key === 'to' && status > 100 ? withToTag(found, options.toTag) : found);
  }
  // "When a 100 (Trying) response is generated, any Timestamp header field present in the request
  // MUST be copied into this 100 (Trying) response." (§8.2.6.1)
  const timestamp = request.headers.find((h) => h.key === 'timestamp');
  if (status === 100 && timestamp !== undefined) headers.push(timestamp);
  headers.push(...(options.headers ?? []));
  return { kind: 'response', status, reason: options.reason ?? reasonPhrase(status), headers, body: options.body ?? Buffer.alloc(0) };
}

// "if the To header field in the request did not contain a tag, the URI in the To header field in
// the response MUST equal the URI in the To header field; additionally, the UAS MUST add a tag".
// The tag is appended to the value as received, which keeps everything else in it unchanged.
function withToTag(to: SipHeader, tag: string | undefined): SipHeader {
  const parsed = parseNameAddrHeader(to);
  if (!parsed.ok || nameAddrTag(parsed.value) !== undefined) return to;
  return receivedHeader(to.name, `${to.value};tag=${tag ?? newTag()}`);
}

/**
 * The answer to a request that failed to parse, when the fault left enough of it to answer. An ACK
 * is never answered, however malformed: it ends a transaction rather than opening one that could
 * take a response (RFC 3261 §17.1.1.3, §13.2.2.4), and its sender would only see a stray response.
 */
export function createErrorResponse(error: SipParseError): SipResponse | undefined {
  if (error.response === undefined || error.response.method === 'ACK') return undefined;
  return createResponse(error.response, error.status, { reason: error.reason });
}

export interface ViaParts {
  readonly transport: 'UDP' | 'TCP' | (string & {});
  /** sent-by host as written (`[::1]` for IPv6). */
  readonly host: string;
  readonly port?: number;
  /** Defaults to a fresh `z9hG4bK` branch. */
  readonly branch?: string;
  /** Ask for RFC 3581 symmetric response routing. */
  readonly rport?: boolean;
}

export interface RequestParts {
  readonly method: string;
  readonly uri: Uri;
  /** Gets a fresh tag when it has none (§8.1.1.3: "the From field MUST contain a new tag"). */
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly cseq: number;
  readonly via: ViaParts;
  readonly callId?: string;
  /** §8.1.1.6: "A UAC MUST insert a Max-Forwards header field ... SHOULD be 70". */
  readonly maxForwards?: number;
  readonly contact?: NameAddr;
  readonly headers?: readonly SipHeader[];
  readonly body?: Buffer;
  readonly contentType?: string;
}

/**
 * A request with the six header fields §8.1.1 requires (To, From, CSeq, Call-ID, Max-Forwards, Via),
 * plus Contact, extra headers and a typed body when given.
 * @example createRequest({ method: 'OPTIONS', uri, from, to, cseq: 1, via: { transport: 'UDP', host: '192.0.2.1', port: 5060 } })
 */
export function createRequest(parts: RequestParts): SipRequest {
  const branch = parts.via.branch ?? newBranch();
  if (!branch.startsWith(MAGIC_COOKIE)) throw new TypeError(`branch "${branch}" lacks the ${MAGIC_COOKIE} magic cookie`);
  let viaParams: Param[] = [{ name: 'branch', value: branch }];
  if (parts.via.rport === true) viaParams = setParam(viaParams, 'rport', null);
  const via = formatVia({
    protocolName: 'SIP',
    protocolVersion: '2.0',
    transport: parts.via.transport.toUpperCase(),
    host: parts.via.host,
    port: parts.via.port ?? null,
    params: viaParams,
  });
  const from = nameAddrTag(parts.from) === undefined ? { ...parts.from, params: setParam(parts.from.params, 'tag', newTag()) } : parts.from;
  const headers: SipHeader[] = [
    header('Via', via),
    header('Max-Forwards', String(parts.maxForwards ?? 70)),
    header('From', formatNameAddr(from)),
    header('To', formatNameAddr(parts.to)),
    header('Call-ID', parts.callId ?? newCallId()),
    header('CSeq', formatCSeq({ seq: parts.cseq, method: parts.method })),
  ];
  if (parts.contact !== undefined) headers.push(header('Contact', formatNameAddr(parts.contact)));
  headers.push(...(parts.headers ?? []));
  if (parts.contentType !== undefined) headers.push(header('Content-Type', parts.contentType));
  return { kind: 'request', method: parts.method, uri: parts.uri, headers, body: parts.body ?? Buffer.alloc(0) };
}
