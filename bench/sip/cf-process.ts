/**
 * The CF under load, in a process of its own so that its CPU and RSS (read from `/proc`) are its
 * own: `startCf` with the bench's groups directory, SIP/MSRP/XDMS on free loopback ports, the log
 * level the bench asks for (logging is part of what is measured) and room for the sessions the
 * bench holds. Forked with the groups directory, the log level and the session limit as arguments; replies `{ type: 'ready', sipPort }`, then answers
 * `stats` with the CF's counts and V8's view of its memory (after a full collection when asked:
 * what the sessions hold, without the garbage not yet collected), and exits on `finish` (exiting
 * lets `--cpu-prof` write its profile).
 */
import { startCf } from '../../runtime/cf.ts';
import { resolveConfig, type LogLevel } from '../../runtime/config.ts';
import { collectGarbage } from './collect.ts';

export type CfCommand = { type: 'stats'; collect?: boolean } | { type: 'finish' };

const [groupsDir, logLevel, maxSessions] = process.argv.slice(2);
if (groupsDir === undefined || logLevel === undefined || maxSessions === undefined) {
  throw new Error('cf-process: pass the groups directory, the log level and the session limit');
}

const cf = await startCf(
  resolveConfig({ sipPort: 0, msrpPort: 0, xdmsPort: 0, groupsDir, logLevel: logLevel as LogLevel, maxSessions: Number(maxSessions) }),
);
process.send?.({ type: 'ready', sipPort: cf.sipPort });
process.on('message', (command: CfCommand) => {
  if (command.type === 'finish') process.exit(0);
  if (command.collect === true) collectGarbage();
  process.send?.({ type: 'stats', ...cf.stats(), memory: process.memoryUsage() });
});
process.on('disconnect', () => process.exit(0));
