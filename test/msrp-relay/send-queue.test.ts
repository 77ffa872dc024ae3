/**
 * The send queue of one connection: whole frames never land inside a streamed one (RFC 4975 §9
 * frames do not nest), and writers sharing the connection stream their frames in turns.
 */
import { Writable } from 'node:stream';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SendQueue, type TurnTaker } from '../../runtime/msrp/relay/send-queue.ts';

/** A socket stand-in that keeps what is written, as text. */
function sink(): { socket: Socket; written: () => string } {
  const chunks: Buffer[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { socket: writable as unknown as Socket, written: () => Buffer.concat(chunks).toString('latin1') };
}

function taker(name: string, log: string[]): TurnTaker {
  return { onTurn: () => log.push(name) };
}

describe('SendQueue', () => {
  it('holds a whole frame sent during a streamed frame until its end-line is out', async () => {
    const { socket, written } = sink();
    const queue = new SendQueue(socket);
    const a = taker('a', []);
    expect(queue.mayBegin(a)).toBe(true);
    queue.beginFrame(Buffer.from('[head]'));
    queue.sendFrame(Buffer.from('[response]'));
    queue.writeBody(Buffer.from('body'));
    queue.endFrame(Buffer.from('[end]'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('[head]body[end][response]');
  });

  /** Writers a, b and c on one queue: a streams a frame while b, then c, ask for a turn; then a's frame ends. */
  function aStreamsWhileBThenCWait() {
    const queue = new SendQueue(sink().socket);
    const turns: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => taker(name, turns)) as [TurnTaker, TurnTaker, TurnTaker];
    expect(queue.mayBegin(a)).toBe(true);
    queue.beginFrame(Buffer.from('a1'));
    expect(queue.mayBegin(b)).toBe(false);
    expect(queue.mayBegin(c)).toBe(false);
    queue.endFrame(Buffer.from('.'));
    return { queue, turns, a, b, c };
  }

  it('gives writers sharing the connection one frame each, in the order they asked', () => {
    const { queue, turns, a, b, c } = aStreamsWhileBThenCWait();
    expect(turns).toEqual(['b']);
    // a wants its next frame at once, but b and c asked first.
    expect(queue.mayBegin(a)).toBe(false);
    expect(queue.mayBegin(c)).toBe(false);
    expect(queue.mayBegin(b)).toBe(true);
    queue.beginFrame(Buffer.from('b1'));
    queue.endFrame(Buffer.from('.'));
    expect(turns).toEqual(['b', 'c']);
    expect(queue.mayBegin(c)).toBe(true);
  });

  it('passes the turn on when the writer whose turn it is leaves before it begins', () => {
    const { queue, turns, b, c } = aStreamsWhileBThenCWait();
    queue.leave(b);
    expect(turns).toEqual(['b', 'c']);
    expect(queue.mayBegin(c)).toBe(true);
  });
});
