/**
 * What the spool keeps of the originator's bytes in memory: the socket's own buffers where that
 * costs no hidden memory, copies of small views that would otherwise pin a whole read buffer.
 */
import { describe, expect, it } from 'vitest';
import { chunkHead } from '../../runtime/msrp/relay/frames.ts';
import { Spool } from '../../runtime/msrp/relay/spool.ts';

function memorySpool(): Spool {
  const spool = new Spool({ memoryBytes: 1 << 20, tailBytes: 1 << 20, diskWindowBytes: 1 << 20, directory: undefined }, { grew: () => undefined, flushed: () => undefined, failed: () => undefined });
  spool.begin(chunkHead({ messageId: 'spooled001', byteRange: undefined, contentType: 'text/plain', mime: [], hasBody: true }));
  return spool;
}

/** The spool's bytes at `position`, as it hands them to a leg (a view when in memory). */
function viewAt(spool: Spool, position: number, length: number): Buffer {
  const view = spool.read(position, length, () => undefined);
  if (view === undefined) throw new Error('expected the bytes in memory');
  return view;
}

describe('Spool memory', () => {
  it('keeps a large view of a read buffer as it is, and a small view of another buffer as a copy', () => {
    const spool = memorySpool();
    const read = Buffer.alloc(1000, 1);
    const other = Buffer.alloc(1000, 2);
    spool.append(read.subarray(0, 900));
    spool.append(other.subarray(0, 100));
    expect(viewAt(spool, 0, 900).buffer).toBe(read.buffer);
    expect(viewAt(spool, 900, 100).buffer).not.toBe(other.buffer);
    expect(viewAt(spool, 900, 100)).toEqual(other.subarray(0, 100));
  });

  it('keeps a small view of the buffer the previous piece already holds (one read ending a chunk and starting the next)', () => {
    const spool = memorySpool();
    const read = Buffer.alloc(1000, 3);
    spool.append(read.subarray(0, 900));
    spool.end('+');
    spool.begin(chunkHead({ messageId: 'spooled001', byteRange: undefined, contentType: 'text/plain', mime: [], hasBody: true }));
    spool.append(read.subarray(950, 1000));
    expect(viewAt(spool, 900, 50).buffer).toBe(read.buffer);
  });
});
