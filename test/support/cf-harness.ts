/**
 * A CF started in-process on ephemeral loopback ports for a test: the embedded XDMS serving the
 * test's groups, the recording relay instead of MSRP, short timers, and no log output.
 */
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { startCf, type CfHandle } from '../../runtime/cf.ts';
import { resolveConfig, type ConfigInput } from '../../runtime/config.ts';
import type { TimerScheduler } from '../../runtime/timers.ts';
import { writeGroups, type GroupSpec } from './groups.ts';
import { recordingRelayFactory, type RecordingRelay } from './recording-relay.ts';

export interface TestCf {
  readonly cf: CfHandle;
  readonly relay: RecordingRelay;
  close(): Promise<void>;
}

export async function startTestCf(groups: readonly GroupSpec[], config: ConfigInput = {}, scheduler?: TimerScheduler): Promise<TestCf> {
  const groupsDir = writeGroups(groups);
  const relays = recordingRelayFactory();
  const cf = await startCf(
    resolveConfig({ sipPort: 0, msrpPort: 0, xdmsPort: 0, groupsDir, shutdownGraceMs: 1000, ...config, timers: { t1: 100, t2: 400, noAnswerMs: 10_000, drainMs: 100, ...config.timers } }),
    { startRelay: relays.startRelay, logger: pino({ level: process.env.CPM_TEST_LOG ?? 'silent' }), ...(scheduler === undefined ? {} : { scheduler }) },
  );
  return {
    cf,
    relay: relays.relay(),
    close: async () => {
      await cf.close();
      rmSync(groupsDir, { recursive: true, force: true });
    },
  };
}
