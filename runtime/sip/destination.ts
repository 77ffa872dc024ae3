/**
 * Where a request goes (RFC 3263 reduced to what the CF needs): the transport from the URI's
 * `transport` parameter, else the caller's default; the host from `maddr` or the URI's host, looked
 * up when it is a name; the port from the URI, else 5060 (RFC 3261 §19.1.2).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TransportError } from './errors.ts';
import { hostToAddress } from './ip.ts';
import { getParam } from './params.ts';
import type { Destination, TransportProtocol } from './transport-types.ts';
import { formatUri, type Uri } from './uri.ts';

const DEFAULT_SIP_PORT = 5060;

/**
 * @param fallback the transport when the URI names none (RFC 3263 §4.1 would pick UDP for `sip:`;
 *   in a dialog the CF keeps the transport the dialog was set up over).
 * @param connectionId an open TCP connection to prefer (RFC 3261 §18.1.1 lets a UA reuse one).
 * @throws {TransportError} for a URI the CF cannot reach: tel:, sips: (no TLS), an unknown transport, an unknown host.
 */
export async function resolveDestination(uri: Uri, fallback: TransportProtocol, connectionId?: string): Promise<Destination> {
  if (uri.kind !== 'sip') throw new TransportError(`no route to ${formatUri(uri)}: only sip: URIs are reachable without a proxy`);
  if (uri.scheme === 'sips') throw new TransportError(`no route to ${formatUri(uri)}: this CF speaks no TLS`);
  const transport = getParam(uri.params, 'transport')?.toLowerCase() ?? fallback;
  if (transport !== 'udp' && transport !== 'tcp') throw new TransportError(`no ${transport} transport to reach ${formatUri(uri)}`);
  // RFC 3261 §19.1.1: maddr "overrides the address derived from the host field".
  const host = hostToAddress(getParam(uri.params, 'maddr') ?? uri.host);
  const address = isIP(host) !== 0 ? host : await lookupAddress(host);
  const port = uri.port ?? DEFAULT_SIP_PORT;
  return transport === 'tcp' && connectionId !== undefined
    ? { protocol: 'tcp', address, port, connectionId }
    : { protocol: transport, address, port };
}

async function lookupAddress(host: string): Promise<string> {
  try {
    return (await lookup(host)).address;
  } catch (error) {
    throw new TransportError(`cannot resolve ${host}`, { cause: error });
  }
}
