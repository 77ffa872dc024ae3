/**
 * The CF put together: the XDMS (embedded, or an external one's URL), the MSRP relay, SIP on UDP and
 * TCP, the transaction layer and the session host, started in that order and closed in reverse —
 * the sessions first, each ended cleanly (CANCEL or BYE on every leg).
 */
import { pino, type Logger } from 'pino';
import type { CfPolicy } from '../machines/types.ts';
import { Signalling } from './b2bua/signalling.ts';
import type { CfConfig } from './config.ts';
import type { MediaRelay } from './media.ts';
import { startMsrpRelay } from './msrp/relay/index.ts';
import { SessionHost } from './session-host.ts';
import { addressToHost, sameAddress } from './sip/ip.ts';
import { TransactionLayer, type TransactionStats } from './sip/transaction-layer.ts';
import { SipTransport } from './sip/transport.ts';
import { formatUri, parseUri, sipUri, type SipUri } from './sip/uri.ts';
import { realScheduler, type TimerScheduler } from './timers.ts';
import { XcapClient } from './xdm/xcap-client.ts';
import { startXdms, type XdmsHandle } from './xdm/xdms-server.ts';

/** OK-4: the methods the CF implements. */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'UPDATE'];

/** Starts the MSRP relay every session shares. */
export type RelayFactory = (config: CfConfig, logger: Logger) => Promise<MediaRelay>;

/** The CF's MSRP relay (`runtime/msrp/relay/`) on `config.host:config.msrpPort`. */
export const startConfiguredRelay: RelayFactory = (config, logger) =>
  startMsrpRelay({
    host: config.host,
    port: config.msrpPort,
    maxMessageBytes: config.msrp.maxMessageBytes,
    memorySpoolBytes: config.msrp.memorySpoolBytes,
    windowBytes: config.msrp.windowBytes,
    connectTimeoutMs: config.msrp.connectTimeoutMs,
    ...(config.msrp.spoolDir === null ? {} : { spoolDir: config.msrp.spoolDir }),
    logger,
  });

export interface StartOptions {
  /** Defaults to `startConfiguredRelay`. */
  readonly startRelay?: RelayFactory;
  /** Defaults to a pino logger at `config.logLevel`. */
  readonly logger?: Logger;
  /** Where the sessions' timers are armed (see `runtime/timers.ts`); defaults to `setTimeout`. */
  readonly scheduler?: TimerScheduler;
}

export interface CfHandle {
  readonly sipPort: number;
  readonly msrpPort: number;
  /** The XCAP root the CF reads groups from. */
  readonly xdmsUrl: string;
  /** Sessions alive now, SIP connections open, the transaction layer's counts (for the benchmark and the leak checks). */
  readonly stats: () => { sessions: number; sipConnections: number; transactions: TransactionStats; mediaSessions: number };
  /** Ends every session cleanly, then closes every listener. */
  close(): Promise<void>;
}

/**
 * @example
 * const cf = await startCf(resolveConfig({ sipPort: 0, msrpPort: 0, xdmsPort: 0 }));
 * // ... SIP on 127.0.0.1:cf.sipPort ...
 * await cf.close();
 */
export async function startCf(config: CfConfig, options: StartOptions = {}): Promise<CfHandle> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const closers: (() => Promise<void>)[] = [];
  const closeStarted = async (): Promise<void> => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const xdms = await xdmsOf(config);
    closers.push(() => xdms.close());
    const xdmsUrl = xdms.url;
    const relay = await (options.startRelay ?? startConfiguredRelay)(config, logger.child({ component: 'msrp' }));
    closers.push(() => relay.close());
    const transport = await SipTransport.listen({ host: config.host, port: config.sipPort, logger: logger.child({ component: 'sip' }) });
    closers.push(() => transport.close());
    const t = config.timers;
    const layer = new TransactionLayer(transport, { timers: { t1: t.t1, t2: t.t2, t4: t.t4 }, logger: logger.child({ component: 'transactions' }) });
    closers.push(async () => layer.close());
    const focusUri = sipUri({ user: 'cpm-cf', host: addressToHost(config.host), port: transport.port });
    const policy = policyOf(config, formatUri(focusUri));
    const signalling = new Signalling({
      layer,
      identity: { server: config.server, allow: ALLOWED_METHODS, focusUri, warnAgent: transport.sentBy },
      outboundProxy: outboundProxyOf(config),
      t1: t.t1,
      t2: t.t2,
      logger,
    });
    const host = new SessionHost({
      signalling,
      policy,
      xdms: new XcapClient({ baseUrl: xdmsUrl, timeoutMs: config.xdmsTimeoutMs }),
      relay,
      scheduler: options.scheduler ?? realScheduler,
      logger,
      trusted: (address) => config.trusted.some((trusted) => sameAddress(trusted, address)),
      maxSessions: config.maxSessions,
      retryAfterSeconds: config.retryAfterSeconds,
    });
    layer.attach(host);
    closers.push(() => host.shutdown(config.shutdownGraceMs));
    logger.info({ sip: transport.sentBy, msrp: relay.authority, xdms: xdmsUrl }, 'CPM Controlling Function listening');
    let closing: Promise<void> | undefined;
    return {
      sipPort: transport.port,
      msrpPort: Number(new URL(relay.authority.replace(/^msrps?:/, 'http:')).port),
      xdmsUrl,
      stats: () => ({ sessions: host.sessionCount, sipConnections: transport.connectionCount, transactions: layer.stats, mediaSessions: relay.openSessions }),
      close: () => {
        closing ??= closeStarted().then(() => logger.info('CPM Controlling Function stopped'));
        return closing;
      },
    };
  } catch (error) {
    await closeStarted();
    throw error;
  }
}

/** The embedded XDMS serving `groupsDir`, or an external one, which the CF does not close. */
async function xdmsOf(config: CfConfig): Promise<XdmsHandle> {
  if (config.xdmsUrl !== null) return { url: config.xdmsUrl, close: async () => undefined };
  return startXdms({ host: config.host, port: config.xdmsPort, groupsDir: config.groupsDir });
}

function policyOf(config: CfConfig, focusUri: string): CfPolicy {
  const t1 = config.timers.t1;
  return {
    server: config.server,
    allow: ALLOWED_METHODS,
    focusUri,
    requiredUserAgents: config.requireUa === null ? null : [...config.requireUa],
    errorInfoUri: config.errorInfoUri,
    minSessionExpires: config.minSessionExpires,
    maxSessionExpires: config.maxSessionExpires,
    timers: {
      noAnswerMs: config.timers.noAnswerMs,
      // RFC 3261 §9.1 and §13.3.1.4: 64*T1 for the answer to a CANCEL and for the ACK of a 2xx.
      cancelMs: 64 * t1,
      ackMs: 64 * t1,
      drainMs: config.timers.drainMs,
    },
  };
}

function outboundProxyOf(config: CfConfig): SipUri | null {
  if (config.outboundProxy === null) return null;
  const parsed = parseUri(config.outboundProxy);
  // `resolveConfig` only lets sip: URIs through.
  return parsed.ok && parsed.value.kind === 'sip' ? parsed.value : null;
}
