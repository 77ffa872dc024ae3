/**
 * The floor under any CF written on Node's `dgram`: the CPU it costs the CF's process to send one
 * datagram to, and to receive one from, peers in other processes on loopback, with nothing done
 * with it. Peers sit in processes of their own, as SIPp's do, because on loopback the sender's
 * system call also runs the receiver's side of the kernel and wakes the receiving process: a
 * datagram sent within one process costs a fraction of that. A group session is some fifty
 * datagrams through the CF, each paid for at least this much before any parsing or logic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { round } from './step.ts';

/** About the size of the bench's INVITEs and 200 OKs with their SDP. */
const DATAGRAM_BYTES = 700;
/** As many peers as the bench's group has members. */
const PEERS = 10;
/** One datagram to (or from) each peer per turn, turns a millisecond apart: bursts like a session's, peers asleep between them. */
const TURN_MS = 1;
const TURNS = 1_500;

/**
 * A peer: binds a UDP port on loopback and reports it; counts what it receives; on `send`, sends
 * `turns` datagrams to the given port, one per `TURN_MS`, and reports when done; on `count`, reports
 * its count.
 */
const PEER = `
const socket = require('node:dgram').createSocket('udp4');
let received = 0;
socket.on('message', () => { received += 1; });
socket.bind(0, '127.0.0.1', () => process.send({ port: socket.address().port }));
process.on('message', (m) => {
  if (m.count) return process.send({ received });
  const bytes = Buffer.alloc(${DATAGRAM_BYTES}, 0x41);
  let left = m.turns;
  const turn = () => { socket.send(bytes, m.port, '127.0.0.1'); if (--left > 0) setTimeout(turn, ${TURN_MS}); else process.send({ sent: m.turns }); };
  turn();
});
process.on('disconnect', () => process.exit(0));
`;

export interface UdpCost {
  /** CPU (user + system) of this process per datagram it sent to a peer process, µs. */
  readonly sendMicros: number;
  /** CPU of this process per datagram it received from a peer process, µs. */
  readonly receiveMicros: number;
  readonly peers: number;
  readonly datagramsEachWay: number;
  readonly lost: number;
}

interface Peer {
  readonly process: ChildProcess;
  readonly port: number;
}

async function startPeer(): Promise<Peer> {
  const child = spawn(process.execPath, ['-e', PEER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return { process: child, port };
}

function ask<T>(peer: Peer, message: object): Promise<T> {
  peer.process.send(message);
  return once(peer.process, 'message').then(([reply]) => reply as T);
}

function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

export async function measureUdpCost(): Promise<UdpCost> {
  const peers = await Promise.all(Array.from({ length: PEERS }, startPeer));
  const socket: Socket = createSocket('udp4');
  try {
    let received = 0;
    socket.on('message', () => {
      received += 1;
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const bytes = Buffer.alloc(DATAGRAM_BYTES, 0x41);
    const datagrams = PEERS * TURNS;

    // This process's CPU while it only waits for the turns to pass: subtracted from both measurements.
    const idleStart = process.cpuUsage();
    await new Promise<void>((resolve) => {
      let left = TURNS;
      const turn = (): void => (--left > 0 ? void setTimeout(turn, TURN_MS) : resolve());
      turn();
    });
    const idle = cpuMicrosSince(idleStart);

    const sendStart = process.cpuUsage();
    await new Promise<void>((resolve) => {
      let left = TURNS;
      const turn = (): void => {
        for (const peer of peers) socket.send(bytes, peer.port, '127.0.0.1');
        if (--left > 0) setTimeout(turn, TURN_MS);
        else resolve();
      };
      turn();
    });
    const send = cpuMicrosSince(sendStart) - idle;
    const counts = await Promise.all(peers.map((peer) => ask<{ received: number }>(peer, { count: true })));
    const delivered = counts.reduce((total, c) => total + c.received, 0);

    const { port } = socket.address();
    const receiveStart = process.cpuUsage();
    await Promise.all(peers.map((peer) => ask(peer, { port, turns: TURNS })));
    const receive = cpuMicrosSince(receiveStart) - idle;
    // A peer reports its last send before that datagram may have been read here.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      sendMicros: round(send / datagrams),
      receiveMicros: round(receive / datagrams),
      peers: PEERS,
      datagramsEachWay: datagrams,
      lost: 2 * datagrams - delivered - received,
    };
  } finally {
    socket.close();
    // Waited for: a peer reaped later would add its CPU to whatever the bench measures next from
    // its ended children (SIPp's).
    await Promise.all(
      peers.map((peer) => {
        const exited = once(peer.process, 'exit');
        peer.process.disconnect();
        return exited;
      }),
    );
  }
}
