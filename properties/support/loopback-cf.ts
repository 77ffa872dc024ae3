/**
 * The runtime CF for one run over sockets: `startCf` in this process on loopback ports, configured
 * as the run's `CfPolicy` says, with its real MSRP relay seen through a `MediaTap`, its timers on
 * a `RecordedClock` and its groups read from an XDMS that answers as the world says. Every wait
 * of the transaction layer, the relay and the XCAP client that the world does not control is set
 * far beyond a run's length, so that only the world's actions and its clock move the session.
 */
import { pino } from 'pino';
import type { CfPolicy } from '../../machines/types.ts';
import { startCf, startConfiguredRelay, type CfHandle } from '../../runtime/cf.ts';
import { resolveConfig } from '../../runtime/config.ts';
import { MsrpRelay } from '../../runtime/msrp/relay/index.ts';
import { startHeldXdms, type HeldXdms } from '../../test/support/held-xdms.ts';
import { MediaTap } from './media-tap.ts';
import { RecordedClock } from './recorded-clock.ts';
import type { TraceStep } from './trace.ts';

/** Longer than any run: a fetch, a member's MSRP connection or its binding is never given up on meanwhile. */
const NEVER_MS = 10 * 60_000;

export interface LoopbackCf {
  readonly cf: CfHandle;
  readonly relay: MsrpRelay;
  readonly xdms: HeldXdms;
  readonly clock: RecordedClock;
  close(): Promise<void>;
}

/**
 * @param outboundProxy the SIP URI every request of the CF towards a member or the originator goes through.
 * @param record receives the MSRP effects and events (through the tap) and the timer effects.
 */
export async function startLoopbackCf(policy: CfPolicy, outboundProxy: string, record: (step: TraceStep) => void): Promise<LoopbackCf> {
  // The CF's CANCEL and ACK waits are both 64*T1 (RFC 3261 §9.1, §13.3.1.4).
  const t1 = policy.timers.cancelMs / 64;
  if (!Number.isInteger(t1) || policy.timers.ackMs !== policy.timers.cancelMs) {
    throw new Error(`the runtime cannot run policy timers cancelMs=${policy.timers.cancelMs}, ackMs=${policy.timers.ackMs}: both are 64*T1 there`);
  }
  const xdms = await startHeldXdms();
  const clock = new RecordedClock((effect) => record({ effect }));
  let tap: MediaTap | undefined;
  const config = resolveConfig({
    sipPort: 0,
    msrpPort: 0,
    xdmsUrl: xdms.url,
    outboundProxy,
    requireUa: policy.requiredUserAgents,
    errorInfoUri: policy.errorInfoUri,
    minSessionExpires: policy.minSessionExpires,
    maxSessionExpires: policy.maxSessionExpires,
    xdmsTimeoutMs: NEVER_MS,
    shutdownGraceMs: 0,
    timers: { t1, noAnswerMs: policy.timers.noAnswerMs, drainMs: policy.timers.drainMs },
    msrp: { connectTimeoutMs: NEVER_MS },
  });
  const cf = await startCf(config, {
    startRelay: async (relayConfig, logger) => {
      const relay = await startConfiguredRelay(relayConfig, logger);
      if (!(relay instanceof MsrpRelay)) throw new TypeError('startConfiguredRelay no longer starts an MsrpRelay: update properties/support/loopback-cf.ts');
      tap = new MediaTap(relay, record);
      return tap;
    },
    scheduler: clock,
    logger: pino({ level: process.env.CPM_TEST_LOG ?? 'silent' }),
  }).catch(async (error: unknown) => {
    await xdms.close();
    throw error;
  });
  const relay = tap?.relay;
  if (relay === undefined) throw new Error('startCf did not start the relay it was given');
  return {
    cf,
    relay,
    xdms,
    clock,
    close: async () => {
      await cf.close();
      await xdms.close();
    },
  };
}
