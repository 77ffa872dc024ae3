/**
 * What both sides of the B2BUA share to put requests and responses on the wire: the transaction
 * layer, the CF's identity (Server, Allow, its focus URI), the Via of its requests, and routing
 * towards a peer directly or through the configured outbound proxy (RFC 3261 §8.1.2).
 */
import type { Logger } from 'pino';
import { CPM_LARGE_MESSAGE_ICSI } from '../../machines/group.ts';
import { createResponse, type ResponseOptions, type ViaParts } from '../sip/builders.ts';
import { resolveDestination } from '../sip/destination.ts';
import { formatNameAddr, type NameAddr } from '../sip/headers/name-addr.ts';
import { addressToHost } from '../sip/ip.ts';
import { header, type SipHeader, type SipRequest, type SipResponse } from '../sip/message.ts';
import { hasParam, setParam, type Param } from '../sip/params.ts';
import type { TransactionLayer } from '../sip/transaction-layer.ts';
import type { Destination, TransportProtocol } from '../sip/transport-types.ts';
import type { SipUri, Uri } from '../sip/uri.ts';

/**
 * The Large Message Mode feature tag of Accept-Contact and Contact (RFC 3840 §9: a quoted string;
 * 3GPP TS 24.229 escapes the URN's colons).
 */
export const LARGE_MESSAGE_FEATURE: Param = {
  name: '+g.3gpp.icsi-ref',
  value: `"${CPM_LARGE_MESSAGE_ICSI.replaceAll(':', '%3A')}"`,
};

export interface FocusIdentity {
  /** OK-3 / open question 15: the Server of responses and the User-Agent of requests. */
  readonly server: string;
  /** OK-4: every method the CF supports. */
  readonly allow: readonly string[];
  /** OK-5: the CF's own URI. */
  readonly focusUri: SipUri;
  /** RFC 3261 §20.43 warn-agent: the CF's hostport. */
  readonly warnAgent: string;
}

export interface SignallingOptions {
  readonly layer: TransactionLayer;
  readonly identity: FocusIdentity;
  /** RFC 3261 §8.1.2: the SIP/IP core every request without a route set is sent through; null to route directly. */
  readonly outboundProxy: SipUri | null;
  /** RFC 3261 T1 and T2, for the 2xx retransmissions of the UAS core (§13.3.1.4). */
  readonly t1: number;
  readonly t2: number;
  readonly logger: Logger;
}

/** The first hop of a request, and the Route headers that take it there. */
export interface HopPlan {
  readonly hop: Uri;
  readonly preloaded: SipHeader[];
}

export class Signalling {
  readonly layer: TransactionLayer;
  readonly identity: FocusIdentity;
  readonly logger: Logger;
  readonly t1: number;
  readonly t2: number;
  private readonly proxyRoute: NameAddr | null;

  constructor(options: SignallingOptions) {
    this.layer = options.layer;
    this.identity = options.identity;
    this.logger = options.logger;
    this.t1 = options.t1;
    this.t2 = options.t2;
    const proxy = options.outboundProxy;
    // RFC 3261 §8.1.2 / §16.12: a preloaded Route is loose-routed, so it carries `lr`.
    this.proxyRoute = proxy === null ? null : { displayName: null, uri: { ...proxy, params: hasParam(proxy.params, 'lr') ? proxy.params : setParam(proxy.params, 'lr', null) }, params: [] };
  }

  /** The CF's Via for a request over `protocol`, with a fresh branch (RFC 3261 §8.1.1.7, RFC 3581 rport over UDP). */
  via(protocol: TransportProtocol): ViaParts {
    return {
      transport: protocol === 'udp' ? 'UDP' : 'TCP',
      host: addressToHost(this.layer.transport.host),
      port: this.layer.transport.port,
      branch: this.layer.newBranch(),
      rport: protocol === 'udp',
    };
  }

  /** A response to `request` carrying the CF's Server header (RFC 3261 §20.35, open question 15). */
  response(request: SipRequest, status: number, options: ResponseOptions = {}, server = this.identity.server): SipResponse {
    return createResponse(request, status, { ...options, headers: [header('Server', server), ...(options.headers ?? [])] });
  }

  /** `Contact: <focus URI>;isfocus` (OK-5, OK-6, RFC 4353 §6.3), with the Large Message Mode feature tag when asked. */
  contact(withFeatureTag: boolean): NameAddr {
    const params: Param[] = [{ name: 'isfocus', value: null }];
    if (withFeatureTag) params.push(LARGE_MESSAGE_FEATURE);
    return { displayName: null, uri: this.identity.focusUri, params };
  }

  /**
   * RFC 3261 §8.1.2 and §12.2.1.1: a request with a route set goes to its first route; one without
   * goes through the outbound proxy, when configured, as a preloaded loose route; otherwise straight
   * to `target`.
   */
  plan(target: Uri, routeSet: readonly NameAddr[]): HopPlan {
    const first = routeSet[0];
    if (first !== undefined) return { hop: first.uri, preloaded: [] };
    if (this.proxyRoute !== null) return { hop: this.proxyRoute.uri, preloaded: [header('Route', formatNameAddr(this.proxyRoute))] };
    return { hop: target, preloaded: [] };
  }

  /** See `resolveDestination`; rejects with `TransportError` when the hop cannot be reached. */
  destination(hop: Uri, fallback: TransportProtocol, connectionId?: string): Promise<Destination> {
    return resolveDestination(hop, fallback, connectionId);
  }
}
