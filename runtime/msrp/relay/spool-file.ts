/**
 * The disk half of a session's spool: bytes appended in order to a temporary file that only this
 * process's user can read, read back at any position by the member legs, each at its own pace.
 *
 * Writes are batched into one `writev` at a time (as many buffers as have queued meanwhile), so the
 * originator's pieces reach the file without being joined first. The file is unlinked at once on
 * `dispose()`; its descriptor is closed only when no read or write still uses it, so a number the
 * kernel hands out again can never receive a late write.
 */
import { close, open, read, unlink, writev } from 'node:fs';
import { RelayError } from './relay-errors.ts';

export interface SpoolFileHandlers {
  /** More bytes are on the file (`flushedBytes` grew). */
  flushed(): void;
  /** The file could not be created or written; nothing more will be flushed. */
  failed(error: RelayError): void;
}

/** Buffers per writev: Linux's IOV_MAX. */
const MAX_BATCH = 1024;

export class SpoolFile {
  readonly #path: string;
  readonly #on: SpoolFileHandlers;
  #fd: number | undefined;
  #opening = false;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #writing = false;
  #flushed = 0;
  /** File operations started and not yet called back. */
  #inFlight = 0;
  #failed = false;
  #disposed = false;
  #onIdle: (() => void) | undefined;

  constructor(path: string, handlers: SpoolFileHandlers) {
    this.#path = path;
    this.#on = handlers;
  }

  /** Bytes written to the file, all readable. */
  get flushedBytes(): number {
    return this.#flushed;
  }

  /** Bytes appended and not yet on the file: the memory the disk owes. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Appends `data` after everything appended before; the buffer is held until written. */
  append(data: Buffer): void {
    if (this.#failed || this.#disposed) return;
    this.#queue.push(data);
    this.#queuedBytes += data.length;
    this.#writeNext();
  }

  /** Reads `length` flushed bytes at `position` into a new buffer. */
  read(position: number, length: number, done: (error: RelayError | undefined, data: Buffer) => void): void {
    const fd = this.#fd;
    if (fd === undefined || this.#disposed || position + length > this.#flushed) {
      const error = new RelayError('CPM_ERR_MSRP_SPOOL_IO', `spool read of ${length} bytes at ${position}, past the ${this.#flushed} flushed`);
      queueMicrotask(() => done(error, Buffer.alloc(0)));
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(length);
    this.#inFlight++;
    read(fd, buffer, 0, length, position, (error, bytesRead) => {
      this.#settle();
      if (error !== null || bytesRead !== length) {
        done(new RelayError('CPM_ERR_MSRP_SPOOL_IO', `spool read at ${position} gave ${bytesRead} of ${length} bytes`, { cause: error }), buffer);
        return;
      }
      done(undefined, buffer);
    });
  }

  /** Removes the file now; resolves once its descriptor is closed. */
  dispose(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    this.#disposed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    return new Promise((resolve) => {
      this.#onIdle = () => {
        const fd = this.#fd;
        this.#fd = undefined;
        if (fd === undefined) {
          resolve();
          return;
        }
        unlink(this.#path, () => close(fd, () => resolve()));
      };
      if (this.#inFlight === 0) this.#onIdle();
    });
  }

  #writeNext(): void {
    if (this.#writing || this.#failed || this.#disposed || this.#queue.length === 0) return;
    if (this.#fd === undefined) {
      this.#openFile();
      return;
    }
    const batch = this.#queue.length <= MAX_BATCH ? this.#queue : this.#queue.slice(0, MAX_BATCH);
    this.#queue = batch === this.#queue ? [] : this.#queue.slice(MAX_BATCH);
    this.#writing = true;
    this.#inFlight++;
    writev(this.#fd, batch, this.#flushed, (error, written) => {
      this.#writing = false;
      this.#settle();
      if (error !== null) {
        this.#fail(new RelayError('CPM_ERR_MSRP_SPOOL_IO', `spool write to ${this.#path} failed`, { cause: error }));
        return;
      }
      this.#flushed += written;
      this.#queuedBytes -= written;
      // writev may write less than asked (a full disk, a signal): what is left goes first next time.
      const rest = unwritten(batch, written);
      if (rest.length > 0) this.#queue = rest.concat(this.#queue);
      if (this.#disposed) return;
      this.#on.flushed();
      this.#writeNext();
    });
  }

  #openFile(): void {
    if (this.#opening) return;
    this.#opening = true;
    this.#inFlight++;
    // "wx": never reuse a file someone placed there; 0o600: spooled messages are private.
    open(this.#path, 'wx+', 0o600, (error, fd) => {
      this.#opening = false;
      if (error === null) this.#fd = fd;
      this.#settle();
      if (error !== null) {
        this.#fail(new RelayError('CPM_ERR_MSRP_SPOOL_IO', `spool file ${this.#path} could not be created`, { cause: error }));
        return;
      }
      this.#writeNext();
    });
  }

  #settle(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#disposed) this.#onIdle?.();
  }

  #fail(error: RelayError): void {
    this.#failed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (!this.#disposed) this.#on.failed(error);
  }
}

function unwritten(batch: readonly Buffer[], written: number): Buffer[] {
  let skip = written;
  const rest: Buffer[] = [];
  for (const buffer of batch) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip === 0 ? buffer : buffer.subarray(skip));
    skip = 0;
  }
  return rest;
}
