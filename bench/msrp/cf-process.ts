/**
 * The CF under test: the MSRP relay, driven the way the machines drive it for one session (every
 * member connected by the CF, `relayToMember` on connection and on each SEND).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { focusMsrpUri } from '../../machines/media.ts';
import type { MsrpMedia } from '../../machines/types.ts';
import type { MediaSession } from '../../runtime/media.ts';
import { startMsrpRelay } from '../../runtime/msrp/relay/index.ts';
import { newSessionId } from '../../runtime/msrp/uri.ts';
import { closed, opened, reply, stats, type RelayCommand } from './protocol.ts';

const relay = await startMsrpRelay({
  host: '127.0.0.1',
  port: 0,
  maxMessageBytes: 2 ** 31,
  memorySpoolBytes: Number(process.env['BENCH_MEMORY_SPOOL_BYTES']),
  windowBytes: Number(process.env['BENCH_WINDOW_BYTES']),
  connectTimeoutMs: 10_000,
});

const media = (path: string): MsrpMedia => ({ path: [path], acceptTypes: ['*'], acceptWrappedTypes: [], maxSize: null, setup: null, otherAttributes: [] });

function open(members: readonly string[]): MediaSession {
  const focus = { authority: relay.authority, sessionId: newSessionId() };
  const connected = new Set<number>();
  const session = relay.openSession(focus, {
    onSend: () => {
      for (const leg of connected) session.relayToMember(leg);
    },
    onMemberConnected: (leg) => {
      connected.add(leg);
      session.relayToMember(leg);
      if (connected.size === members.length) opened(focusMsrpUri(focus, 'originator'));
    },
    onMemberFailed: (leg) => {
      throw new Error(`bench member ${leg} failed`);
    },
    onMemberCaughtUp: () => undefined,
    onMemberDelivered: () => undefined,
  });
  session.expectOriginator(media(focusMsrpUri(focus, 'originator')));
  members.forEach((uri, leg) => session.connectMember(leg, media(uri)));
  return session;
}

/** `--profile`: the measured rounds alone, start-up and warm-up left out. */
const profiler = new Session();
let profile: string | undefined;

function post(method: string): Promise<unknown> {
  return new Promise((resolve, reject) => profiler.post(method, (error, result) => (error === null ? resolve(result) : reject(error))));
}

let session: MediaSession | undefined;

process.on('message', async (command: RelayCommand) => {
  if (command.type === 'open') {
    session = open(command.members);
  } else if (command.type === 'close') {
    session?.release();
    closed();
  } else if (command.type === 'profile') {
    profile = command.file;
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  } else {
    if (profile !== undefined) writeFileSync(profile, JSON.stringify(((await post('Profiler.stop')) as { profile: object }).profile));
    reply(stats());
    void relay.close().then(() => process.exit(0));
  }
});

reply({ type: 'ready' });
