/**
 * The members' MSRP side, in a process of its own so that the CF's process measures only the CF:
 * one listener per member, every request on every connection answered `200 OK` (RFC 4975 §7.2),
 * which is all the CF needs to bind a member's connection (§5.4). Started by `fork` with the
 * member count as argument; replies `{ type: 'listening', ports }`, then to any message
 * `{ type: 'stats', accepted, open, answered, errors }`: connections accepted so far, those open
 * now, requests answered (each member leg binds its session with one SEND, whether or not its
 * connection is shared with other sessions), and the frames that did not parse.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { MsrpRequestHead } from '../../runtime/msrp/frame.ts';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import { formatResponse, responseTo } from '../../runtime/msrp/serializer.ts';

let accepted = 0;
let open = 0;
let answered = 0;
let errors = 0;

function answerEveryRequest(socket: Socket): void {
  accepted += 1;
  open += 1;
  socket.once('close', () => (open -= 1));
  let head: MsrpRequestHead | undefined;
  const parser = new MsrpParser({
    onRequestHead: (h) => {
      head = h;
    },
    onBody: () => undefined,
    onEnd: () => {
      // The response comes from the URI the request was sent to: its To-Path's last hop is this member.
      const own = head?.headers.toPath.at(-1);
      const response = head === undefined || own === undefined ? undefined : responseTo(head, own, 200);
      if (response !== undefined) {
        socket.write(formatResponse(response));
        answered += 1;
      }
      head = undefined;
    },
    onResponse: () => undefined,
    onError: (error) => {
      errors += 1;
      if (error.fatal) socket.destroy();
    },
  });
  socket.on('data', (data: Buffer) => parser.write(data));
  // The CF resets or closes member connections when sessions end; neither is a fault here.
  socket.on('error', () => undefined);
}

async function listen(): Promise<Server> {
  const server = createServer(answerEveryRequest);
  // Thousands of connections arrive per second in bursts of one per member.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return server;
}

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) throw new Error('msrp-members: pass the member count as the first argument');
const servers = await Promise.all(Array.from({ length: count }, listen));
process.send?.({ type: 'listening', ports: servers.map((server) => (server.address() as { port: number }).port) });
process.on('message', () => process.send?.({ type: 'stats', accepted, open, answered, errors }));
// The orchestrator's end (or its death) closes the IPC channel: nothing is left to serve.
process.on('disconnect', () => process.exit(0));
