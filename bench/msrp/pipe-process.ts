/**
 * The physical baseline: the same bytes piped from one TCP socket to N TCP sockets on loopback,
 * with no parsing; the source pauses while any sink's buffer is full (as `stream.pipe` does).
 */
import { connect, createServer, type Socket } from 'node:net';
import { closed, opened, reply, stats, type RelayCommand } from './protocol.ts';

let sinks: Socket[] = [];

const server = createServer((source) => {
  const current = sinks;
  const full = new Set<Socket>();
  for (const sink of current) {
    sink.on('drain', () => {
      full.delete(sink);
      if (full.size === 0) source.resume();
    });
  }
  source.on('data', (data: Buffer) => {
    for (const sink of current) if (!sink.write(data)) full.add(sink);
    if (full.size > 0) source.pause();
  });
  source.on('error', () => undefined);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;

function connectSink(uri: string): Promise<Socket> {
  const [, host = '', sinkPort = ''] = /^msrp:\/\/([^:/]+):(\d+)/.exec(uri) ?? [];
  const sink = connect(Number(sinkPort), host);
  sink.setNoDelay(true);
  return new Promise((resolve) => sink.once('connect', () => resolve(sink)));
}

process.on('message', async (command: RelayCommand) => {
  if (command.type === 'open') {
    sinks = await Promise.all(command.members.map(connectSink));
    opened(`msrp://127.0.0.1:${port}/pipe;tcp`);
  } else if (command.type === 'close') {
    for (const sink of sinks) sink.destroy();
    closed();
  } else if (command.type === 'finish') {
    reply(stats());
    server.close(() => process.exit(0));
  }
});

reply({ type: 'ready' });
