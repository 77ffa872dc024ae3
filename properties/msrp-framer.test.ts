/**
 * Properties of the MSRP framer (runtime/msrp): chunking and TCP splits never change what is
 * parsed, serialize∘parse is the identity, and no input makes the parser throw or hoard bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUtf8Text } from '../runtime/msrp/abnf.ts';
import { MSRP_ERRORS } from '../runtime/msrp/errors.ts';
import type { ContinuationFlag, MsrpRequestHead, MsrpResponse } from '../runtime/msrp/frame.ts';
import type { ByteRange, HeaderField, MsrpHeaders, StatusHeader } from '../runtime/msrp/headers.ts';
import { formatEndLine, formatRequestHead, formatResponse } from '../runtime/msrp/serializer.ts';
import type { MsrpUri } from '../runtime/msrp/uri.ts';
import { comparable, recorder } from '../test/msrp/support/recorder.ts';
import type { ParserEvent } from '../test/msrp/support/recorder.ts';

const CRLF = Buffer.from('\r\n');
/** Transaction-ids that are prefixes of one another, so look-alikes in bodies are likely. */
const TIDS = ['abcd', 'abcd1', 'a786hjs2', 'Z9.-+%=z'];
/** What a sender falls back to when a body holds its end-line (RFC 4975 §7.1). */
const FALLBACK_TID = 'q1w2e3r4t5y6u7i8';
const LONGEST_WINDOW = 2 + 7 + 32 + 1 + 2;

const identArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}$/);
const tidArb = fc.oneof(fc.constantFrom(...TIDS), identArb);
const flagArb = fc.constantFrom<ContinuationFlag>('$', '+', '#');
const tokenArb = fc.stringMatching(/^[!#-'*+\-.0-9A-Z^-~]{1,8}$/);
const textArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter(isUtf8Text);
/** A header value as a parser gives it back: leading whitespace is not part of it. */
const headerValueArb = textArb.filter((v) => !/^[ \t]/.test(v));

/** Body bytes rich in CR, LF, hyphens and other transactions' end-lines. */
const bodyArb = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
      fc.constantFrom('\r', '\n', '\r\n', '-', '-------', '\r\n-------', '$', '+', '#').map((s) => Buffer.from(s)),
      fc.tuple(fc.constantFrom(...TIDS), fc.constantFrom('', '$', '+', '#', 'x'), fc.constantFrom('', '\r', '\r\n')).map(([t, f, e]) => Buffer.from(`\r\n-------${t}${f}${e}`)),
    ),
    { maxLength: 16 },
  )
  .map((parts) => Buffer.concat(parts));

const uriArb: fc.Arbitrary<MsrpUri> = fc.record(
  {
    secure: fc.boolean(),
    userinfo: fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,=:]{1,8}$/),
    host: fc.oneof(fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,=]{1,16}$/), fc.ipV4(), fc.ipV6().map((a) => `[${a}]`)),
    port: fc.integer({ min: 0, max: 65535 }),
    sessionId: fc.stringMatching(/^[A-Za-z0-9\-._~+=/]{1,24}$/),
    transport: fc.oneof(fc.constant('tcp'), fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)),
    params: fc.array(fc.record({ name: tokenArb, value: tokenArb }, { requiredKeys: ['name'] }), { maxLength: 2 }),
  },
  { requiredKeys: ['secure', 'host', 'transport', 'params'] },
);

const byteRangeArb: fc.Arbitrary<ByteRange> = fc
  .tuple(fc.integer({ min: 1, max: 1e9 }), fc.nat(1e9), fc.nat(1e9), fc.boolean(), fc.boolean())
  .map(([start, length, beyond, endUnknown, totalUnknown]) => ({
    start,
    end: endUnknown ? '*' : start + length - 1,
    total: totalUnknown ? '*' : start + length - 1 + beyond,
  }));

const statusArb: fc.Arbitrary<StatusHeader> = fc.record(
  { namespace: fc.stringMatching(/^[0-9]{3}$/), code: fc.integer({ min: 0, max: 999 }), comment: textArb },
  { requiredKeys: ['namespace', 'code'] },
);

const mediaTypeArb = fc
  .tuple(tokenArb, tokenArb, fc.array(fc.tuple(tokenArb, fc.oneof(tokenArb, fc.constant('"a;\\"b"'))), { maxLength: 2 }))
  .map(([type, subtype, params]) => `${type}/${subtype}${params.map(([n, v]) => `;${n}=${v}`).join('')}`);

const fieldArb = (name: fc.Arbitrary<string>): fc.Arbitrary<HeaderField> => fc.record({ name, value: headerValueArb });

const headersArb: fc.Arbitrary<MsrpHeaders> = fc.record(
  {
    toPath: fc.array(uriArb, { minLength: 1, maxLength: 3 }),
    fromPath: fc.array(uriArb, { minLength: 1, maxLength: 3 }),
    messageId: identArb,
    successReport: fc.constantFrom('yes', 'no'),
    failureReport: fc.constantFrom('yes', 'no', 'partial'),
    byteRange: byteRangeArb,
    status: statusArb,
    extensions: fc.array(fieldArb(fc.stringMatching(/^X-[A-Za-z0-9-]{1,8}$/)), { maxLength: 3 }),
    mime: fc.array(fieldArb(fc.constantFrom('Content-ID', 'Content-Description', 'Content-Disposition', 'Content-Language')), { maxLength: 2 }),
    contentType: mediaTypeArb,
  },
  { requiredKeys: ['toPath', 'fromPath', 'extensions', 'mime'] },
);

/** An independent statement of the end-line rule: CRLF "-------" tid flag CRLF. */
function bodyHidesEndLine(body: Buffer, tid: string): boolean {
  const id = tid.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`\r\n-------${id}[$+#]\r\n`).test(Buffer.concat([body, CRLF]).toString('latin1'));
}

/** RFC 4975 §7.1: a sender whose body holds the end-line chooses another transaction-id. */
function tidFor(body: Buffer | undefined, wanted: string): string {
  return body !== undefined && bodyHidesEndLine(body, wanted) ? FALLBACK_TID : wanted;
}

type Frame = { kind: 'request'; head: MsrpRequestHead; body: Buffer | undefined; flag: ContinuationFlag } | { kind: 'response'; response: MsrpResponse };

const requestArb: fc.Arbitrary<Frame> = fc
  .record({ tid: tidArb, method: fc.constantFrom('SEND', 'REPORT'), headers: headersArb, body: fc.option(bodyArb, { nil: undefined }), flag: flagArb })
  .map(({ tid, method, headers, body, flag }) => ({
    kind: 'request',
    head: {
      transactionId: tidFor(body, tid),
      method,
      // RFC 4975 §7.1: a body needs a Content-Type.
      headers: body === undefined || headers.contentType !== undefined ? headers : { ...headers, contentType: 'text/plain' },
      hasBody: body !== undefined,
    },
    body,
    flag,
  }));

const responseArb: fc.Arbitrary<Frame> = fc
  .record({ transactionId: tidArb, status: fc.integer({ min: 0, max: 999 }), comment: textArb, headers: headersArb }, { requiredKeys: ['transactionId', 'status', 'headers'] })
  .map((response) => ({ kind: 'response', response }));

function serialize(frames: readonly Frame[]): Buffer {
  return Buffer.concat(
    frames.flatMap((f) =>
      f.kind === 'response' ? [formatResponse(f.response)] : [formatRequestHead(f.head), f.body ?? Buffer.alloc(0), formatEndLine(f.head, f.flag)],
    ),
  );
}

/** Cut points (any numbers) made into ascending offsets inside `length`. */
function offsets(seeds: readonly number[], length: number): number[] {
  return [...new Set(seeds.map((s) => s % (length + 1)))].sort((a, b) => a - b);
}

function pieces(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const bounds = [0, ...offsets(cuts, bytes.length), bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}

/** Writes the pieces, checking after each that nothing was thrown and the parser holds little. */
function run(parts: readonly Buffer[], maxHeadBytes: number, maxHeaders = 64): ParserEvent[] {
  const rec = recorder({ maxHeadBytes, maxHeaders });
  for (const part of parts) {
    rec.write(part);
    expect(rec.parser.bufferedBytes).toBeLessThanOrEqual(Math.max(maxHeadBytes, LONGEST_WINDOW - 1));
  }
  rec.parser.end();
  return rec.events;
}

/** Whatever the bytes: no throw, bounded memory, split-independent, stop after a fatal error. */
function checkRobust(bytes: Buffer, cuts: readonly number[]): void {
  const whole = run([bytes], 300, 8);
  expect(comparable(run(pieces(bytes, cuts), 300, 8))).toEqual(comparable(whole));
  const fatalAt = whole.findIndex((e) => e.type === 'error' && e.error.fatal);
  if (fatalAt !== -1) expect(fatalAt).toBe(whole.length - 1);
  for (const e of whole) if (e.type === 'error') expect(Object.keys(MSRP_ERRORS)).toContain(e.error.code);
}

describe('MSRP framer properties', () => {
  it('any message, chunked into SENDs whose Byte-Ranges tile it, split anyhow into segments, parses to exactly its chunks', () => {
    fc.assert(
      fc.property(
        bodyArb,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.tuple(tidArb, fc.boolean(), fc.boolean()), { minLength: 7, maxLength: 7 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (message, chunkCuts, choices, segmentCuts) => {
          const bounds = [0, ...offsets(chunkCuts, message.length).filter((c) => c > 0 && c < message.length), message.length];
          const frames: Frame[] = [];
          bounds.slice(1).forEach((end, i) => {
            const start = bounds[i] ?? 0;
            const [wanted, unknownLength, answered] = choices[i] ?? ['abcd', false, false];
            const body = message.subarray(start, end);
            const last = end === message.length;
            const byteRange: ByteRange = { start: start + 1, end: unknownLength && !last ? '*' : end, total: unknownLength ? '*' : message.length };
            const headers: MsrpHeaders = { toPath: [], fromPath: [], messageId: 'msg1', byteRange, extensions: [], mime: [], contentType: 'application/octet-stream' };
            const head = { transactionId: tidFor(body, wanted), method: 'SEND', headers, hasBody: true };
            frames.push({ kind: 'request', head: { ...head, headers: { ...headers, toPath: [uri()], fromPath: [uri()] } }, body, flag: last ? '$' : '+' });
            if (answered) frames.push({ kind: 'response', response: { transactionId: head.transactionId, status: 200, headers: { toPath: [uri()], fromPath: [uri()], extensions: [], mime: [] } } });
          });

          const events = run(pieces(serialize(frames), segmentCuts), 16 * 1024);
          const requests = frames.filter((f) => f.kind === 'request');
          const expected = requests.flatMap((f): unknown[] => [
            { type: 'head', head: f.head },
            ...(f.body !== undefined && f.body.length > 0 ? [{ type: 'body', data: f.body }] : []),
            { type: 'end', end: { transactionId: f.head.transactionId, flag: f.flag, bodyBytes: f.body?.length ?? 0 } },
          ]);
          expect(events.filter((e) => e.type !== 'response')).toEqual(expected);
          expect(events.filter((e) => e.type === 'response')).toHaveLength(frames.length - requests.length);

          const rebuilt = Buffer.alloc(message.length);
          let head: MsrpRequestHead | undefined;
          for (const e of events) {
            if (e.type === 'head') head = e.head;
            if (e.type === 'body' && head?.headers.byteRange !== undefined) e.data.copy(rebuilt, head.headers.byteRange.start - 1);
          }
          expect(rebuilt).toEqual(message);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('serialize∘parse is the identity on valid frames, whatever the segment split', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(requestArb, responseArb), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 8 }), (frames, cuts) => {
        const bytes = serialize(frames);
        const events = run(pieces(bytes, cuts), 64 * 1024);
        const parsed: Frame[] = [];
        for (const e of events) {
          if (e.type === 'head') parsed.push({ kind: 'request', head: e.head, body: e.head.hasBody ? Buffer.alloc(0) : undefined, flag: '$' });
          const current = parsed.at(-1);
          if (e.type === 'body' && current?.kind === 'request') current.body = e.data;
          if (e.type === 'end' && current?.kind === 'request') current.flag = e.end.flag;
          if (e.type === 'response') parsed.push({ kind: 'response', response: e.response });
          if (e.type === 'error') expect.fail(`${e.error.code}: ${e.error.message}`);
        }
        expect(parsed).toEqual(frames);
        expect(serialize(parsed)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary bytes never throw, never make the parser hold more than its bound, parse alike at any split', () => {
    const noisyArb = fc.oneof(
      fc.uint8Array({ maxLength: 1500 }).map((a) => Buffer.from(a)),
      fc.tuple(fc.array(requestArb, { maxLength: 2 }), fc.uint8Array({ maxLength: 400 })).map(([frames, tail]) => Buffer.concat([serialize(frames), tail])),
    );
    fc.assert(fc.property(noisyArb, fc.array(fc.nat(), { maxLength: 12 }), checkRobust), { numRuns: 1000 });
  });

  it('mutated valid frames never throw, never make the parser hold more than its bound, parse alike at any split', () => {
    const mutationArb = fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(requestArb, responseArb), { minLength: 1, maxLength: 3 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (frames, mutations, cuts) => {
          const bytes = [...serialize(frames)];
          for (const { at, kind, byte } of mutations) {
            const i = at % (bytes.length + 1);
            if (kind === 'insert') bytes.splice(i, 0, byte);
            else if (kind === 'delete') bytes.splice(i, 1);
            else if (i < bytes.length) bytes[i] = byte;
          }
          checkRobust(Buffer.from(bytes), cuts);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function uri(): MsrpUri {
  return { secure: false, host: 'cf.example.com', port: 2855, sessionId: 'abc', transport: 'tcp', params: [] };
}
