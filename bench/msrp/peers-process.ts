/**
 * The peers of the fan-out bench, in a process of their own so that the relay's process measures
 * only the relay: N members listening, and the originator that sends one message of MSRP chunks
 * per round. Each member notes when the round's last byte reached it (on the originator's clock).
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { MsrpRequestHead } from '../../runtime/msrp/frame.ts';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import { formatEndLine, formatRequestHead, formatResponse, newTransactionId, responseTo } from '../../runtime/msrp/serializer.ts';
import { newSessionId, parseMsrpUri, type MsrpUri } from '../../runtime/msrp/uri.ts';
import { reply, type PeerMode, type PeersCommand } from './protocol.ts';

/** The bytes every message is cut from, repeated: 16 MiB, a multiple of every chunk size measured. */
const POOL = randomBytes(16 << 20);

/** What a member waits for in a round: the "$" of this message (msrp), or this many bytes (raw). */
interface Round {
  readonly messageId: string;
  readonly streamBytes: number;
  received: number;
  finish(at: number): void;
}

class Member {
  readonly uri: MsrpUri;
  #round: Round | undefined;

  constructor(uri: MsrpUri) {
    this.uri = uri;
  }

  static async listen(mode: PeerMode): Promise<Member> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const member = new Member(uriOf(`msrp://127.0.0.1:${(server.address() as { port: number }).port}/${newSessionId()};tcp`));
    server.on('connection', (socket) => {
      socket.on('error', () => undefined);
      if (mode === 'msrp') member.#answerMsrp(socket);
      else member.#countBytes(socket);
    });
    return member;
  }

  arm(messageId: string, streamBytes: number): Promise<number> {
    return new Promise((resolve) => {
      this.#round = { messageId, streamBytes, received: 0, finish: resolve };
    });
  }

  /** As the CF needs a member: every SEND answered 200. */
  #answerMsrp(socket: Socket): void {
    let head: MsrpRequestHead | undefined;
    const parser = new MsrpParser({
      onRequestHead: (h) => {
        head = h;
      },
      onBody: () => undefined,
      onEnd: (end) => {
        if (head === undefined) return;
        const response = responseTo(head, this.uri, 200);
        if (response !== undefined) socket.write(formatResponse(response));
        const round = this.#round;
        if (round !== undefined && end.flag === '$' && head.headers.messageId === round.messageId) round.finish(performance.now());
      },
      onResponse: () => undefined,
      onError: (error) => {
        throw error;
      },
    });
    socket.on('data', (data: Buffer) => parser.write(data));
  }

  /** A baseline member: counts the round's bytes until it has the whole stream. */
  #countBytes(socket: Socket): void {
    socket.on('data', (data: Buffer) => {
      const round = this.#round;
      if (round === undefined) return;
      round.received += data.length;
      if (round.received >= round.streamBytes) round.finish(performance.now());
    });
  }
}

let members: Member[] = [];

function uriOf(text: string): MsrpUri {
  const uri = parseMsrpUri(text);
  if (!uri.ok) throw new Error(uri.reason);
  return uri.value;
}

/** The originator's message as MSRP frames. */
function* frames(target: MsrpUri, from: MsrpUri, messageId: string, messageBytes: number, chunkBytes: number): Generator<Buffer> {
  for (let start = 0; start < messageBytes; start += chunkBytes) {
    const end = Math.min(messageBytes, start + chunkBytes);
    const head: MsrpRequestHead = {
      transactionId: newTransactionId(),
      method: 'SEND',
      headers: { toPath: [target], fromPath: [from], messageId, byteRange: { start: start + 1, end, total: messageBytes }, contentType: 'application/octet-stream', extensions: [], mime: [] },
      hasBody: true,
    };
    const offset = start % POOL.length;
    yield formatRequestHead(head);
    yield POOL.subarray(offset, offset + (end - start));
    yield formatEndLine(head, end === messageBytes ? '$' : '+');
  }
}

async function round(command: Extract<PeersCommand, { type: 'send' }>): Promise<number[]> {
  const target = uriOf(command.target);
  const from = uriOf(`msrp://127.0.0.1:1/${newSessionId()};tcp`);
  const messageId = newTransactionId();
  let streamBytes = 0;
  for (const frame of frames(target, from, messageId, command.messageBytes, command.chunkBytes)) streamBytes += frame.length;
  const finished = members.map((member) => member.arm(messageId, streamBytes));
  const socket = connect(target.port ?? 2855, target.host);
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  // The CF's responses and REPORT are read and dropped.
  socket.resume();
  const started = performance.now();
  for (const frame of frames(target, from, messageId, command.messageBytes, command.chunkBytes)) {
    if (!socket.write(frame)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  const ttlb = (await Promise.all(finished)).map((at) => at - started);
  socket.end();
  return ttlb;
}

process.on('message', async (command: PeersCommand) => {
  if (command.type === 'listen') {
    members = await Promise.all(Array.from({ length: command.members }, () => Member.listen(command.mode)));
    reply({ type: 'listening', uris: members.map((m) => `msrp://${m.uri.host}:${m.uri.port}/${m.uri.sessionId};tcp`) });
    return;
  }
  const cpu = process.cpuUsage();
  const ttlbMs = await round(command);
  const used = process.cpuUsage(cpu);
  reply({ type: 'done', ttlbMs, cpuMs: (used.user + used.system) / 1000 });
});
