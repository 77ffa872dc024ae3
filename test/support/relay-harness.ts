/**
 * What every relay test starts from: a relay on loopback with its own spool directory, SDP media
 * for the peers, and a way to wait for a condition without guessing how long it takes.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MsrpMedia } from '../../machines/types.ts';
import { startMsrpRelay, type MsrpRelay } from '../../runtime/msrp/relay/index.ts';
import type { MsrpRelayOptions, RelayLogger } from '../../runtime/msrp/relay/options.ts';

export interface TestRelay {
  readonly relay: MsrpRelay;
  readonly spoolDir: string;
  /** Every warning the relay logged, with its context. */
  readonly warnings: { context: object; message: string }[];
  /** Spool files left in the relay's directory. */
  spoolFiles(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTestRelay(options: Partial<MsrpRelayOptions> = {}): Promise<TestRelay> {
  const spoolDir = await mkdtemp(join(tmpdir(), 'cpm-cf-relay-test-'));
  const warnings: { context: object; message: string }[] = [];
  const logger: RelayLogger = { warn: (context, message) => warnings.push({ context, message }), debug: () => undefined };
  const relay = await startMsrpRelay({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 1 << 30,
    memorySpoolBytes: 4 << 20,
    windowBytes: 256 << 10,
    connectTimeoutMs: 5_000,
    spoolDir,
    logger,
    ...options,
  });
  return {
    relay,
    spoolDir,
    warnings,
    spoolFiles: () => readdir(spoolDir),
    close: async () => {
      await relay.close();
      await rm(spoolDir, { recursive: true, force: true });
    },
  };
}

/** An SDP m=message answer or offer naming `path`. */
export function media(path: string, overrides: Partial<MsrpMedia> = {}): MsrpMedia {
  return { path: [path], acceptTypes: ['*'], acceptWrappedTypes: [], maxSize: null, setup: null, otherAttributes: [], ...overrides };
}

/**
 * Resolves once `probe()` returns something other than undefined, checking every few
 * milliseconds; fails the test with `what` if that takes more than `limitMs` (a bound on a
 * hang, not a timing assertion).
 */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting, after ${limitMs} ms, for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
