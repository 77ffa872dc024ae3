/**
 * The Via work of a server transport (RFC 3261 §18.2.1 with RFC 3581 §4: stamping `received` and
 * `rport` on a request that arrived) and the choice of where its responses go (§18.2.2, RFC 3581 §4).
 */
import { TransportError } from './errors.ts';
import { formatVia, viaReceived, viaRport, type Via } from './headers/via.ts';
import { hostToAddress, sameAddress } from './ip.ts';
import { receivedHeader, splitCommaList, type SipRequest } from './message.ts';
import { getParam, setParam } from './params.ts';
import { topVia } from './transaction-keys.ts';
import type { Destination, MessageSource } from './transport-types.ts';

/** The port §18.2.2 falls back to when sent-by has none (5060 for UDP and TCP, RFC 3261 §19.1.2). */
const DEFAULT_SIP_PORT = 5060;

/**
 * Adds `received` (and fills a bare `rport`) in the top Via of `request` as §18.2.1 and RFC 3581 §4
 * require; returns `request` itself when nothing changes, or when the top Via cannot be read (the
 * parser already refused such requests).
 */
export function stampReceived(request: SipRequest, source: MessageSource): SipRequest {
  const top = topVia(request);
  if (top === undefined) return request;
  let params = top.params;
  // "If the host portion of the "sent-by" parameter contains a domain name, or if it contains an IP
  // address that differs from the packet source address, the server MUST add a "received"
  // parameter to that Via header field value." (§18.2.1)
  if (!sameAddress(top.host, source.address)) params = setParam(params, 'received', source.address);
  // "If this Via header field value contains an "rport" parameter with no value, it MUST set the
  // value of the parameter to the source port of the request. ... the server MUST insert a
  // "received" parameter containing the source IP address ... even if it is identical to the value
  // of the "sent-by" component." (RFC 3581 §4)
  if (viaRport(top) === null) {
    params = setParam(setParam(params, 'rport', String(source.port)), 'received', source.address);
  }
  if (params === top.params) return request;
  const index = request.headers.findIndex((h) => h.key === 'via');
  const line = request.headers[index]!;
  // The line's other values are kept as received, not re-formatted.
  const elements = splitCommaList(line.value);
  elements[0] = formatVia({ ...top, params });
  const headers = [...request.headers];
  headers[index] = receivedHeader(line.name, elements.join(', '));
  return { ...request, headers };
}

/**
 * Where a response goes, from its top Via and the source of the request it answers (§18.2.2).
 * Throws `TransportError` for a transport this layer does not speak (TLS, SCTP...).
 */
export function responseDestination(via: Via, source: MessageSource | undefined): Destination {
  const port = via.port ?? DEFAULT_SIP_PORT;
  const received = viaReceived(via);
  const address = received ?? hostToAddress(via.host);
  if (via.transport === 'TCP') {
    // "If the "sent-protocol" is a reliable transport protocol such as TCP ... the response MUST be
    // sent using the existing connection to the source of the original request ... if that
    // connection is still open. ... If that connection is no longer open, the server SHOULD open a
    // connection to the IP address in the "received" parameter, if present, using the port in the
    // "sent-by" value".
    const connectionId = source?.protocol === 'tcp' ? source.connectionId : undefined;
    return connectionId === undefined ? { protocol: 'tcp', address, port } : { protocol: 'tcp', address, port, connectionId };
  }
  if (via.transport !== 'UDP') throw new TransportError(`no ${via.transport} transport to send a response on`);
  // "Otherwise, if the Via header field value contains a "maddr" parameter, forward the response to
  // the address listed there, using the port indicated in "sent-by", or port 5060 if none is present."
  const maddr = getParam(via.params, 'maddr');
  if (maddr !== undefined && maddr !== null) return { protocol: 'udp', address: hostToAddress(maddr), port };
  // RFC 3581 §4: "the response MUST be sent to the IP address listed in the "received" parameter,
  // and the port in the "rport" parameter."
  const rport = viaRport(via);
  if (received !== undefined && typeof rport === 'number') return { protocol: 'udp', address: received, port: rport };
  // "Otherwise (for unreliable unicast transports), if the top Via has a "received" parameter, the
  // response MUST be sent to the address in the "received" parameter, using the port indicated in
  // the "sent-by" value, or using port 5060 if none is specified explicitly." Otherwise, to sent-by.
  return { protocol: 'udp', address, port };
}
