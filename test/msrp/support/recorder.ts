/**
 * Drives an MsrpParser and records what it reports, with body pieces merged per frame so that
 * runs over different splits of the same bytes can be compared event for event.
 */
import { MsrpParser } from '../../../runtime/msrp/parser.ts';
import type { MsrpParserHandlers, MsrpParserOptions } from '../../../runtime/msrp/parser.ts';
import type { MsrpError } from '../../../runtime/msrp/errors.ts';
import type { MsrpEnd, MsrpRequestHead, MsrpResponse } from '../../../runtime/msrp/frame.ts';

export type ParserEvent =
  | { readonly type: 'head'; readonly head: MsrpRequestHead }
  | { readonly type: 'body'; readonly data: Buffer }
  | { readonly type: 'end'; readonly end: MsrpEnd }
  | { readonly type: 'response'; readonly response: MsrpResponse }
  | { readonly type: 'error'; readonly error: MsrpError };

export interface Recording {
  readonly parser: MsrpParser;
  readonly events: ParserEvent[];
  /** The largest `bufferedBytes` seen after any write. */
  readonly maxBuffered: () => number;
  write(chunk: Buffer): boolean;
}

/** A parser whose callbacks append to `events`; `extra` callbacks run after recording. */
export function recorder(options?: MsrpParserOptions, extra: Partial<MsrpParserHandlers> = {}): Recording {
  const events: ParserEvent[] = [];
  let maxBuffered = 0;
  const parser = new MsrpParser(
    {
      onRequestHead: (head) => {
        events.push({ type: 'head', head });
        extra.onRequestHead?.(head);
      },
      onBody: (chunk) => {
        const last = events.at(-1);
        // Copy: a writer may reuse its buffer once write() returns (the 2 GiB test does).
        if (last?.type === 'body') events[events.length - 1] = { type: 'body', data: Buffer.concat([last.data, chunk]) };
        else events.push({ type: 'body', data: Buffer.from(chunk) });
        extra.onBody?.(chunk);
      },
      onEnd: (end) => {
        events.push({ type: 'end', end });
        extra.onEnd?.(end);
      },
      onResponse: (response) => {
        events.push({ type: 'response', response });
        extra.onResponse?.(response);
      },
      onError: (error) => {
        events.push({ type: 'error', error });
        extra.onError?.(error);
      },
    },
    options,
  );
  return {
    parser,
    events,
    maxBuffered: () => maxBuffered,
    write(chunk) {
      const flowing = parser.write(chunk);
      maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
      return flowing;
    },
  };
}

/** Parses `bytes` written as the given pieces (cut at `cuts`, ascending offsets). */
export function parseInPieces(bytes: Buffer, cuts: readonly number[], options?: MsrpParserOptions): Recording {
  const rec = recorder(options);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    rec.write(bytes.subarray(from, cut));
    from = cut;
  }
  return rec;
}

/** Events with errors reduced to their code, for comparing runs. */
export function comparable(events: readonly ParserEvent[]): unknown[] {
  return events.map((e) => (e.type === 'error' ? { type: 'error', code: e.error.code } : e));
}

/** Every way to cut `bytes` in two, plus one byte per write. */
export function everySplit(bytes: Buffer): number[][] {
  const splits: number[][] = [];
  for (let i = 1; i < bytes.length; i++) splits.push([i]);
  splits.push(Array.from({ length: bytes.length - 1 }, (_, i) => i + 1));
  return splits;
}

/** A frame written as CRLF-joined lines, the way the RFC prints them. */
export function crlf(...lines: string[]): Buffer {
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8');
}
