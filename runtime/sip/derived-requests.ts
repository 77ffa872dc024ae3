/**
 * Requests built from another request rather than from a dialog: the ACK a client transaction sends
 * for a 300-699 (RFC 3261 §17.1.1.3) and the CANCEL of a pending request (§9.1). Both reuse the
 * original's top Via, so they travel the same way and match the same server transaction.
 */
import { formatCSeq } from './headers/cseq.ts';
import { header, splitCommaList, type SipHeader, type SipRequest, type SipResponse } from './message.ts';
import { cseqOf } from './transaction-keys.ts';

/**
 * RFC 3261 §17.1.1.3: "The ACK request constructed by the client transaction MUST contain values
 * for the Call-ID, From, and Request-URI that are equal to the values of those header fields in the
 * request passed to the transport by the client transaction ... The To header field in the ACK MUST
 * equal the To header field in the response being acknowledged ... The ACK MUST contain a single Via
 * header field, and this MUST be equal to the top Via header field of the original request. The CSeq
 * header field in the ACK MUST contain the same value for the sequence number as was present in the
 * original request, but the method parameter MUST be equal to "ACK"." Route headers are kept too.
 */
export function ackForFailure(invite: SipRequest, response: SipResponse): SipRequest {
  const to = response.headers.find((h) => h.key === 'to');
  return derived(invite, 'ACK', to);
}

/**
 * RFC 3261 §9.1: "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header fields in
 * the CANCEL request MUST be identical to those in the request being cancelled, including tags. A
 * CANCEL constructed by a client MUST have only a single Via header field value matching the top Via
 * value in the request being cancelled", and "If the request being cancelled contains a Route
 * header field, the CANCEL request MUST include that Route header field's values."
 */
export function cancelFor(request: SipRequest): SipRequest {
  return derived(request, 'CANCEL', undefined);
}

function derived(original: SipRequest, method: string, to: SipHeader | undefined): SipRequest {
  const headers: SipHeader[] = [];
  const topVia = original.headers.find((h) => h.key === 'via');
  if (topVia !== undefined) headers.push(header('Via', splitCommaList(topVia.value)[0] ?? topVia.value));
  headers.push(header('Max-Forwards', '70'));
  for (const h of original.headers) {
    if (h.key === 'from' || h.key === 'call-id' || h.key === 'route') headers.push(h);
    else if (h.key === 'to') headers.push(to ?? h);
  }
  headers.push(header('CSeq', formatCSeq({ seq: cseqOf(original).seq, method })));
  return { kind: 'request', method, uri: original.uri, headers, body: Buffer.alloc(0) };
}
