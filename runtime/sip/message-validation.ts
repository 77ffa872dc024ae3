/**
 * The checks every received message passes before anyone acts on it: the headers RFC 3261 §8.1.1
 * makes mandatory are present once (Via at least once) and well-formed, the CSeq method matches
 * the request method (§8.2.2 / RFC 4475 §3.1.2.17), and framing headers are unambiguous.
 * Other headers are only checked when read (`headers/*`), since most messages never need them.
 */
import { SipParseError, type SipErrorCode } from './errors.ts';
import { parseCSeqHeader } from './headers/cseq.ts';
import { parseNameAddrHeader } from './headers/name-addr.ts';
import { parseCallId, parseContentLength, parseMaxForwards } from './headers/scalars.ts';
import { parseViaHeader } from './headers/via.ts';
import type { SipHeader, SipMessage } from './message.ts';

/** What validation learned that framing needs: the Content-Length, if the message had one. */
export interface Validated {
  readonly contentLength: number | null;
}

export function validateMessage(message: SipMessage): SipParseError | Validated {
  const by = group(message.headers);
  const vias = by.get('via');
  if (vias === undefined) return missing('Via');
  for (const via of vias) {
    const parsed = parseViaHeader(via);
    if (!parsed.ok) return parsed.error;
  }
  // Order matters only for which fault is reported first; CSeq comes before Max-Forwards because
  // RFC 4475 §3.1.2.4 expects the 400 "due to the CSeq error".
  for (const [key, name] of [['from', 'From'], ['to', 'To']] as const) {
    const single = exactlyOne(by, key, name);
    if (single instanceof SipParseError) return single;
    const parsed = parseNameAddrHeader(single);
    if (!parsed.ok) return new SipParseError(parsed.error.code, `${name}: ${parsed.error.message}`);
  }
  const callId = exactlyOne(by, 'call-id', 'Call-ID');
  if (callId instanceof SipParseError) return callId;
  const parsedCallId = parseCallId(callId.value);
  if (!parsedCallId.ok) return parsedCallId.error;
  const cseqHeader = exactlyOne(by, 'cseq', 'CSeq');
  if (cseqHeader instanceof SipParseError) return cseqHeader;
  const cseq = parseCSeqHeader(cseqHeader);
  if (!cseq.ok) return cseq.error;
  if (message.kind === 'request' && cseq.value.method !== message.method) {
    return new SipParseError('CPM_ERR_SIP_CSEQ_METHOD_MISMATCH', `CSeq method ${cseq.value.method} in a ${message.method} request`);
  }
  const maxForwards = atMostOne(by, 'max-forwards', 'Max-Forwards', 'CPM_ERR_SIP_DUPLICATE_HEADER');
  if (maxForwards instanceof SipParseError) return maxForwards;
  if (maxForwards !== undefined) {
    const parsed = parseMaxForwards(maxForwards.value);
    if (!parsed.ok) return parsed.error;
  }
  // Two Content-Length values leave the body's end unknown (RFC 4475 §3.3.9): a framing fault.
  const contentLength = atMostOne(by, 'content-length', 'Content-Length', 'CPM_ERR_SIP_BAD_CONTENT_LENGTH');
  if (contentLength instanceof SipParseError) return contentLength;
  if (contentLength === undefined) return { contentLength: null };
  const length = parseContentLength(contentLength.value);
  return length.ok ? { contentLength: length.value } : length.error;
}

// The header objects, not their values: Via, From, To and CSeq are parsed through the per-header
// memo (`parsedOnce`) that the transaction layer and dialogs read later.
function group(headers: readonly SipHeader[]): Map<string, SipHeader[]> {
  const by = new Map<string, SipHeader[]>();
  for (const h of headers) {
    const list = by.get(h.key);
    if (list === undefined) by.set(h.key, [h]);
    else list.push(h);
  }
  return by;
}

function missing(name: string): SipParseError {
  return new SipParseError('CPM_ERR_SIP_MISSING_HEADER', `no ${name} header`);
}

// "Multiple Values in Single Value Required Fields" (RFC 4475 §3.3.8) are as bad as none.
function exactlyOne(by: Map<string, SipHeader[]>, key: string, name: string): SipHeader | SipParseError {
  const values = by.get(key);
  if (values === undefined) return missing(name);
  if (values.length > 1) return new SipParseError('CPM_ERR_SIP_DUPLICATE_HEADER', `${values.length} ${name} headers`);
  return values[0]!;
}

function atMostOne(by: Map<string, SipHeader[]>, key: string, name: string, code: SipErrorCode): SipHeader | undefined | SipParseError {
  const values = by.get(key);
  if (values === undefined) return undefined;
  if (values.length > 1) return new SipParseError(code, `${values.length} ${name} headers`);
  return values[0]!;
}
