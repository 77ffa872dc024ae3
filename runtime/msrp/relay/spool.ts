/**
 * A session's spool: the originator's chunks, written once, read by every member leg at its own
 * pace (SEND-1), from byte 0 for a leg that joins late (open question 6).
 *
 * The first `memoryBytes` body bytes of the session stay in memory, as the buffers the socket
 * delivered (no copy); later bytes go to a temporary file (`SpoolFile`), and the newest
 * `tailBytes` of them stay in memory too, so that members keeping pace never wait for the disk.
 * The caller stops taking bytes while `backlogged` (the disk owes a window's worth) and looks
 * again on `flushed()`: memory stays at `memoryBytes + tailBytes` plus that window.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContinuationFlag } from '../frame.ts';
import { PieceList } from './piece-list.ts';
import type { RelayError } from './relay-errors.ts';
import { SpoolFile } from './spool-file.ts';

/** What a leg needs of one of the originator's chunks to write its own copy (made by `chunkHead`). */
export interface ChunkHead {
  readonly messageId: string;
  readonly hasBody: boolean;
  /** The copy's header lines after From-Path, and the blank line before a body: the same on every leg. */
  readonly linesAfterPaths: string;
}

export interface SpooledChunk extends ChunkHead {
  /** Where its body begins in the spool. */
  readonly start: number;
  /** Body bytes spooled so far. */
  length: number;
  /** The end-line's flag, once read (RFC 4975 §7.1). */
  flag: ContinuationFlag | undefined;
}

export interface SpoolHandlers {
  /** More is readable, or a chunk has ended: legs waiting for data may go on. */
  grew(): void;
  /** The disk took more bytes: `backlogged` may have cleared. */
  flushed(): void;
  /** The spool file failed: bytes that have left memory can no longer be read back. */
  failed(error: RelayError): void;
}

export interface SpoolOptions {
  /** The session's first bytes kept in memory. */
  readonly memoryBytes: number;
  /**
   * The newest bytes past the memory share kept in memory as well, so that legs in step with the
   * originator are served from memory and only stragglers and late joiners read the file back.
   */
  readonly tailBytes: number;
  /** How much the disk may owe before the spool is `backlogged`. */
  readonly diskWindowBytes: number;
  readonly directory: string | undefined;
}

export class Spool {
  readonly chunks: SpooledChunk[] = [];
  readonly #options: SpoolOptions;
  readonly #on: SpoolHandlers;
  /** Positions 0 up to the memory share. */
  readonly #head = new PieceList(0);
  /** The newest bytes past the memory share; every byte not yet on the file is among them. */
  #tail: PieceList | undefined;
  #length = 0;
  #file: SpoolFile | undefined;
  /** The buffer behind the piece appended last (see `kept`). */
  #lastKept: ArrayBufferLike | undefined;
  #disposal: Promise<void> | undefined;

  constructor(options: SpoolOptions, handlers: SpoolHandlers) {
    this.#options = options;
    this.#on = handlers;
  }

  /** Body bytes appended in all, every one of them readable. */
  get length(): number {
    return this.#length;
  }

  /** The disk owes a window's worth: take no more bytes until `flushed()`. */
  get backlogged(): boolean {
    return (this.#file?.queuedBytes ?? 0) >= this.#options.diskWindowBytes;
  }

  /** Memory held by the spool: its memory share and its tail (which holds what the disk still owes). */
  get memoryBytes(): number {
    return this.#head.bytes + (this.#tail?.bytes ?? 0);
  }

  get openChunk(): SpooledChunk | undefined {
    const last = this.chunks.at(-1);
    return last !== undefined && last.flag === undefined ? last : undefined;
  }

  /** Starts a chunk; the one before must have ended. */
  begin(head: ChunkHead): SpooledChunk {
    if (this.openChunk !== undefined) throw new Error('Spool.begin() while a chunk is open: end() it first');
    // A literal, not `{ ...head, … }`: a spread with more properties after it cost microseconds per chunk.
    const chunk: SpooledChunk = { messageId: head.messageId, hasBody: head.hasBody, linesAfterPaths: head.linesAfterPaths, start: this.#length, length: 0, flag: undefined };
    this.chunks.push(chunk);
    if (!head.hasBody) this.#on.grew();
    return chunk;
  }

  /** Adds body bytes to the open chunk. */
  append(data: Buffer): void {
    const chunk = this.openChunk;
    if (chunk === undefined) throw new Error('Spool.append() without an open chunk: begin() one first');
    const inHead = Math.min(data.length, Math.max(0, this.#options.memoryBytes - this.#head.end));
    if (inHead > 0) this.#head.push(this.#keep(inHead === data.length ? data : data.subarray(0, inHead)));
    if (inHead < data.length) {
      const rest = this.#keep(inHead === 0 ? data : data.subarray(inHead));
      this.#tail ??= new PieceList(this.#head.end);
      this.#tail.push(rest);
      this.#fileForWriting().append(rest);
      this.#evict();
    }
    chunk.length += data.length;
    this.#length += data.length;
    this.#on.grew();
  }

  end(flag: ContinuationFlag): void {
    const chunk = this.openChunk;
    if (chunk === undefined) throw new Error('Spool.end() without an open chunk');
    chunk.flag = flag;
    this.#on.grew();
  }

  /**
   * Up to `max` bytes from `position` (below `length`): returned at once when in memory (a view,
   * no copy), else read from the file and passed to `done`, and undefined returned.
   */
  read(position: number, max: number, done: (error: RelayError | undefined, data: Buffer) => void): Buffer | undefined {
    if (position < this.#head.end) return this.#head.viewAt(position, max);
    const tail = this.#tail;
    const file = this.#file;
    if (tail === undefined || file === undefined) throw new Error(`Spool.read() at ${position}, past the memory share, before anything went to the file`);
    if (position >= tail.start) return tail.viewAt(position, max);
    // Below the tail everything is on the file (the tail lets go of flushed bytes only).
    file.read(position - this.#head.end, Math.min(max, tail.start - position), done);
    return undefined;
  }

  /** Drops the memory and removes the file (at once; its descriptor closes once unused). */
  dispose(): Promise<void> {
    this.#disposal ??= this.#disposeNow();
    return this.#disposal;
  }

  async #disposeNow(): Promise<void> {
    this.#lastKept = undefined;
    this.#head.clear();
    this.#tail?.clear();
    await this.#file?.dispose();
  }

  #keep(data: Buffer): Buffer {
    const piece = kept(data, this.#lastKept);
    this.#lastKept = piece.buffer;
    return piece;
  }

  /** The tail keeps `tailBytes` of the newest bytes, and anything the disk has not taken yet. */
  #evict(): void {
    const tail = this.#tail;
    if (tail === undefined) return;
    const flushedEnd = this.#head.end + (this.#file?.flushedBytes ?? 0);
    for (let end = tail.firstEnd; end !== undefined && end <= flushedEnd && tail.bytes > this.#options.tailBytes; end = tail.firstEnd) {
      tail.dropFirst();
    }
  }

  #fileForWriting(): SpoolFile {
    this.#file ??= new SpoolFile(join(this.#options.directory ?? tmpdir(), `cpm-cf-spool-${randomBytes(12).toString('hex')}`), {
      flushed: () => {
        this.#evict();
        this.#on.flushed();
      },
      failed: (error) => this.#on.failed(error),
    });
    return this.#file;
  }
}

/**
 * A small view would pin the whole socket buffer it lies in (up to 64 KiB per read), which the
 * memory limits would not see: such views are copied, big ones kept as they are. A view of the
 * buffer the previous piece kept is kept too, as that buffer is held already (at worst, if that
 * piece has just been evicted, one read buffer more than counted): a read that ends one chunk and
 * begins the next gives the spool two views of one buffer, and now at most one of them is copied.
 */
function kept(data: Buffer, held: ArrayBufferLike | undefined): Buffer {
  if (data.buffer === held || data.length >= data.buffer.byteLength / 2) return data;
  const copy = Buffer.allocUnsafeSlow(data.length);
  data.copy(copy);
  return copy;
}
