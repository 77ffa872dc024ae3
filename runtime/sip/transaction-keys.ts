/**
 * How a message finds its transaction: RFC 3261 §17.1.3 for responses (branch and CSeq method) and
 * §17.2.3 for requests (branch, sent-by and method, ACK matching its INVITE), with the RFC 2543
 * fallback of §17.2.3 for requests whose branch lacks the magic cookie.
 */
import type { Parsed } from './errors.ts';
import { parseCSeqHeader, type CSeq } from './headers/cseq.ts';
import { nameAddrTag, parseNameAddrHeader, type NameAddr } from './headers/name-addr.ts';
import { parseViaHeader, viaBranch, type Via } from './headers/via.ts';
import { MAGIC_COOKIE } from './ids.ts';
import { getHeader, type SipHeader, type SipMessage, type SipRequest, type SipResponse } from './message.ts';

/**
 * The first value of the first Via line, parsed once per line; undefined when that line is
 * unreadable (the parser refuses those).
 */
export function topVia(message: Pick<SipMessage, 'headers'>): Via | undefined {
  const parsed = first(message, 'via', parseViaHeader);
  return parsed?.ok === true ? parsed.value[0] : undefined;
}

/** The CSeq of a message the parser accepted, parsed once per header. */
export function cseqOf(message: Pick<SipMessage, 'headers'>): CSeq {
  const parsed = first(message, 'cseq', parseCSeqHeader);
  if (parsed?.ok !== true) throw new TypeError('a message without a valid CSeq reached the transaction layer');
  return parsed.value;
}

/** The From or To of a message, parsed once per header; undefined when absent or unreadable. */
export function nameAddrOf(message: Pick<SipMessage, 'headers'>, key: 'from' | 'to'): NameAddr | undefined {
  const parsed = first(message, key, parseNameAddrHeader);
  return parsed?.ok === true ? parsed.value : undefined;
}

/** What the first `key` header of `message` parses to, or undefined when there is none. */
function first<T>(message: Pick<SipMessage, 'headers'>, key: string, parse: (header: SipHeader) => Parsed<T>): Parsed<T> | undefined {
  const line = message.headers.find((h) => h.key === key);
  return line === undefined ? undefined : parse(line);
}

/** RFC 3261 §17.1.3: "the branch parameter in the top Via ... and the method parameter in the CSeq". */
export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/** The client key of a response, or undefined when its top Via has no branch. */
export function responseKey(response: SipResponse): string | undefined {
  const via = topVia(response);
  const branch = via === undefined ? undefined : viaBranch(via);
  return branch === undefined ? undefined : clientKey(branch, cseqOf(response).method);
}

/**
 * RFC 3261 §17.2.3: with a magic-cookie branch, "the branch parameter in the request is equal to the
 * one in the top Via header field of the request that created the transaction, the sent-by value in
 * the top Via of the request is equal to the one in the request that created the transaction, and
 * the method of the request matches the one that created the transaction, except for ACK, where the
 * method of the request that created the transaction is INVITE". `method` overrides the request's
 * own, for looking up the INVITE a CANCEL targets (§9.2).
 */
export function serverKey(request: SipRequest, method = request.method === 'ACK' ? 'INVITE' : request.method): string | undefined {
  const via = topVia(request);
  if (via === undefined) return undefined;
  const branch = viaBranch(via);
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  // Deviation: the Call-ID and CSeq number join the key. A retransmission, and the CANCEL or ACK of
  // a request, always carry the same ones, so nothing RFC 3261 matches is missed; but a peer whose
  // branches are not "unique across space and time" (§8.1.1.7; the `sip` npm package draws them
  // from a million values) cannot have one call's request taken for another's retransmission.
  const call = `${getHeader(request, 'call-id') ?? ''}|${cseqOf(request).seq}`;
  if (branch !== undefined && branch.startsWith(MAGIC_COOKIE)) return `${branch}|${sentBy}|${call}|${method}`;
  // RFC 3261 §17.2.3, for RFC 2543 peers: the Request-URI, To tag, From tag, Call-ID, CSeq and top
  // Via identify the transaction. The To tag is left out: an ACK carries the tag the INVITE's final
  // response added, and an INVITE and its CANCEL or ACK are still told apart by the method.
  const from = nameAddrOf(request, 'from');
  const fromTag = from === undefined ? '' : (nameAddrTag(from) ?? '');
  return `2543|${call}|${fromTag}|${sentBy}|${branch ?? ''}|${method}`;
}
