/**
 * Fuzzing of the MSRP framer (issue 5), beyond properties/msrp-framer.test.ts (chunking, identity,
 * arbitrary bytes, byte mutations): truncated streams, wrong end-lines, huge header counts,
 * several sessions interleaved on one connection, and each defect answered with its own error.
 * Every case also checks that nothing is thrown and the parser holds no more than its bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MSRP_ERRORS, type MsrpErrorCode } from '../runtime/msrp/errors.ts';
import type { MsrpParserOptions } from '../runtime/msrp/parser.ts';
import { formatRequestHead } from '../runtime/msrp/serializer.ts';
import { comparable, recorder, type ParserEvent } from '../test/msrp/support/recorder.ts';
import { frameArb, frameBytes, sendArb, sendHead, stream, tidArb, type Frame } from './support/msrp-frames.ts';
import { runParameters, timeoutFor } from './support/runs.ts';
import { split } from './support/split.ts';

const cuts = fc.array(fc.nat(), { maxLength: 10 });
const LONGEST_END_LINE_WINDOW = 2 + 7 + 32 + 1 + 2;

/** Parses `parts` then ends the connection, checking the parser's held bytes after every write. */
function parse(parts: readonly Buffer[], options: MsrpParserOptions = {}): ParserEvent[] {
  const rec = recorder(options);
  for (const part of parts) rec.write(part);
  rec.parser.end();
  expect(rec.maxBuffered()).toBeLessThanOrEqual(Math.max(options.maxHeadBytes ?? 16 * 1024, LONGEST_END_LINE_WINDOW));
  return rec.events;
}

function lastError(events: readonly ParserEvent[]): { code: MsrpErrorCode; fatal: boolean; status: number | undefined; tid: string | undefined } | undefined {
  const last = events.at(-1);
  return last?.type === 'error' ? { code: last.error.code, fatal: last.error.fatal, status: last.error.status, tid: last.error.frame?.transactionId } : undefined;
}

const requestOf = (frame: Frame) => (frame.kind === 'request' ? frame : undefined);

describe('MSRP framer fuzzing', () => {
  it(
    'a stream cut anywhere parses its whole frames, then reports the cut one as truncated (after at most its head and part of its body)',
    () => {
      fc.assert(
        fc.property(fc.array(frameArb, { minLength: 1, maxLength: 4 }), fc.nat(), cuts, (frames, cut, at) => {
          const { bytes, ends } = stream(frames);
          const end = cut % (bytes.length + 1);
          const whole = frames.slice(0, ends.filter((e) => e <= end).length);
          const expected = parse([stream(whole).bytes]);
          const events = parse(split(bytes.subarray(0, end), at));
          if (end === 0 || ends.includes(end)) {
            expect(comparable(events)).toEqual(comparable(expected));
            return;
          }
          expect(lastError(events)).toMatchObject({ code: 'CPM_ERR_MSRP_TRUNCATED_FRAME', fatal: true });
          expect(comparable(events.slice(0, expected.length))).toEqual(comparable(expected));
          const cutFrame = requestOf(frames[whole.length]!);
          const partial = events.slice(expected.length, -1);
          expect(partial.length).toBeLessThanOrEqual(cutFrame === undefined ? 0 : 2);
          if (partial[0] !== undefined) expect(partial[0]).toEqual({ type: 'head', head: cutFrame?.head });
          const body = partial[1];
          if (body !== undefined) {
            expect(body.type).toBe('body');
            if (body.type === 'body') expect(cutFrame?.body?.subarray(0, body.data.length)).toEqual(body.data);
          }
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'a wrong end-line is body data to a request with a body (which then ends truncated), and a fatal error to a bodiless one',
    () => {
      const kinds = ['another transaction-id', 'no continuation flag', 'no CR before it', 'bare LF after it', 'no CRLF after it'] as const;
      fc.assert(
        fc.property(sendArb, fc.constantFrom(...kinds), tidArb, fc.constantFrom('*', 'x', '%', '-'), frameArb, cuts, (send, kind, other, bad, next, at) => {
          const frame = requestOf(send)!;
          const tid = frame.head.transactionId;
          fc.pre(other !== tid && (next.kind === 'request' ? next.head.transactionId : next.response.transactionId) !== tid);
          const hasBody = frame.body !== undefined;
          // Without a body there is no CR to leave out; a body ending in CR would supply it.
          fc.pre(kind !== 'no CR before it' || (hasBody && frame.body!.at(-1) !== 0x0d));
          const endLine = {
            'another transaction-id': `\r\n-------${other}${frame.flag}\r\n`,
            'no continuation flag': `\r\n-------${tid}${bad}\r\n`,
            'no CR before it': `\n-------${tid}${frame.flag}\r\n`,
            'bare LF after it': `\r\n-------${tid}${frame.flag}\n`,
            'no CRLF after it': `\r\n-------${tid}${frame.flag}`,
          }[kind];
          // Without a body the end-line directly follows the headers' CRLF.
          const written = Buffer.from(hasBody ? endLine : endLine.slice(2), 'latin1');
          const bytes = Buffer.concat([formatRequestHead(frame.head), frame.body ?? Buffer.alloc(0), written, frameBytes(next)]);
          const events = parse(split(bytes, at));
          if (!hasBody) {
            expect(events).toHaveLength(1);
            const code = kind === 'bare LF after it' ? 'CPM_ERR_MSRP_INVALID_LINE_END' : 'CPM_ERR_MSRP_INVALID_END_LINE';
            expect(lastError(events)).toEqual({ code, fatal: true, status: undefined, tid });
            return;
          }
          expect(events[0]).toEqual({ type: 'head', head: frame.head });
          expect(events.some((e) => e.type === 'end' || e.type === 'response')).toBe(false);
          const body = events[1]?.type === 'body' ? events[1].data : Buffer.alloc(0);
          expect(body.subarray(0, frame.body!.length)).toEqual(frame.body);
          expect(lastError(events)).toEqual({ code: 'CPM_ERR_MSRP_TRUNCATED_FRAME', fatal: true, status: undefined, tid });
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'huge header counts and long header blocks end in the first limit they reach (maxHeaders or maxHeadBytes), within the bound',
    () => {
      const limits = fc.record({ maxHeaders: fc.integer({ min: 1, max: 128 }), maxHeadBytes: fc.integer({ min: 128, max: 8192 }) });
      const padding = fc.record({ count: fc.nat(300), width: fc.integer({ min: 1, max: 120 }) });
      fc.assert(
        fc.property(sendArb, limits, padding, cuts, (send, options, { count, width }, at) => {
          const frame = requestOf(send)!;
          const extensions = Array.from({ length: count }, (_, i) => ({ name: `X-Pad-${i}`, value: 'v'.repeat(width) }));
          const head = { ...frame.head, headers: { ...frame.head.headers, extensions } };
          const bytes = Buffer.concat([frameBytes({ ...frame, head }), frameBytes(frame)]);
          const lines = formatRequestHead(head).toString('latin1').split(/(?<=\n)/);
          const endLine = head.hasBody ? [] : [`-------${head.transactionId}${frame.flag}\r\n`];
          const all = [...lines, ...endLine];
          // The line whose reading crosses maxHeadBytes, and the header line one past maxHeaders.
          let total = 0;
          const crossing = all.findIndex((line) => (total += line.length) > options.maxHeadBytes);
          let headers = 0;
          const overCount = all.findIndex((line, i) => i > 0 && line !== '\r\n' && !line.startsWith('-------') && ++headers > options.maxHeaders);
          const events = parse(split(bytes, at), options);
          const first = [crossing, overCount].filter((i) => i >= 0);
          if (first.length === 0) {
            expect(events[0]).toEqual({ type: 'head', head });
            expect(events.filter((e) => e.type === 'error')).toEqual([]);
            return;
          }
          const code = crossing >= 0 && (overCount < 0 || crossing <= overCount) ? 'CPM_ERR_MSRP_HEAD_TOO_LARGE' : 'CPM_ERR_MSRP_TOO_MANY_HEADERS';
          expect(events).toHaveLength(1);
          expect(lastError(events)).toMatchObject({ code, fatal: true });
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'chunks of several sessions interleaved on one connection, with responses between them, reassemble into each session’s message',
    () => {
      const sessions = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{4,10}$/), { minLength: 1, maxLength: 4 }).chain((ids) =>
        fc.tuple(
          fc.constant(ids),
          fc.tuple(...ids.map(() => fc.record({ message: fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)), chunkCuts: fc.array(fc.nat(), { maxLength: 5 }), unknownTotal: fc.boolean() }))),
          fc.array(fc.nat(ids.length - 1), { maxLength: 30 }),
          fc.array(fc.boolean(), { maxLength: 30 }),
        ),
      );
      fc.assert(
        fc.property(sessions, cuts, ([ids, plans, order, answers], at) => {
          const chunks = ids.map((id, s) => {
            const { message, chunkCuts, unknownTotal } = plans[s]!;
            const bounds = [0, ...new Set(chunkCuts.map((c) => c % (message.length + 1)))].sort((a, b) => a - b).concat(message.length);
            return bounds.slice(1).map((end, i): Frame => {
              const start = bounds[i]!;
              const body = message.subarray(start, end);
              const range = { start: start + 1, end, total: unknownTotal && end < message.length ? ('*' as const) : message.length };
              return { kind: 'request', head: sendHead(`t${id}x${i}`, id, `msg-${id}`, body, range), body, flag: end === message.length ? '$' : '+' };
            });
          });
          // Interleave: each pick sends the next chunk of a session, sometimes followed by a response to it.
          const written: Frame[] = [];
          const next = ids.map(() => 0);
          const take = (s: number) => {
            const chunk = chunks[s]![next[s]!];
            if (chunk === undefined) return;
            next[s]!++;
            written.push(chunk);
            if (answers[written.length % Math.max(1, answers.length)] === true && chunk.kind === 'request') {
              written.push({ kind: 'response', response: { transactionId: chunk.head.transactionId, status: 200, headers: { toPath: chunk.head.headers.fromPath, fromPath: chunk.head.headers.toPath, extensions: [], mime: [] } } });
            }
          };
          for (const s of order) take(s);
          ids.forEach((_, s) => {
            while (next[s]! < chunks[s]!.length) take(s);
          });
          const events = parse(split(stream(written).bytes, at));
          expect(events.filter((e) => e.type === 'error')).toEqual([]);
          expect(events.filter((e) => e.type === 'response')).toHaveLength(written.filter((f) => f.kind === 'response').length);
          const rebuilt = new Map(ids.map((id, s) => [id, Buffer.alloc(plans[s]!.message.length)]));
          const finished = new Set<string>();
          let current: { session: string; start: number; offset: number } | undefined;
          for (const e of events) {
            if (e.type === 'head') current = { session: e.head.headers.toPath[0]?.sessionId ?? '', start: (e.head.headers.byteRange?.start ?? 1) - 1, offset: 0 };
            if (e.type === 'body' && current !== undefined) current.offset += e.data.copy(rebuilt.get(current.session)!, current.start + current.offset);
            if (e.type === 'end' && e.end.flag === '$' && current !== undefined) finished.add(current.session);
          }
          ids.forEach((id, s) => expect(rebuilt.get(id), id).toEqual(plans[s]!.message));
          expect([...finished].sort()).toEqual([...ids].sort());
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  /** A defect written into a frame, and what the parser must answer. */
  interface Defect {
    name: string;
    code: MsrpErrorCode;
    write: (frame: Extract<Frame, { kind: 'request' }>) => Buffer;
  }
  const withLines = (edit: (lines: string[]) => string[]) => (f: Extract<Frame, { kind: 'request' }>) => {
    const head = formatRequestHead(f.head).toString('utf8').split('\r\n');
    const rest = frameBytes(f).subarray(formatRequestHead(f.head).length);
    return Buffer.concat([Buffer.from(edit(head).join('\r\n'), 'utf8'), rest]);
  };
  const requestDefects: Defect[] = [
    { name: 'a body without Content-Type', code: 'CPM_ERR_MSRP_MISSING_CONTENT_TYPE', write: withLines((l) => l.filter((x) => !x.startsWith('Content-Type:'))) },
    { name: 'an unknown method', code: 'CPM_ERR_MSRP_UNKNOWN_METHOD', write: withLines((l) => [l[0]!.replace(/ SEND$/, ' FETCH'), ...l.slice(1)]) },
    { name: 'a malformed Byte-Range', code: 'CPM_ERR_MSRP_INVALID_HEADER', write: withLines((l) => l.map((x) => (x.startsWith('Byte-Range:') ? 'Byte-Range: 1-x/5' : x))) },
    { name: 'Message-ID twice', code: 'CPM_ERR_MSRP_INVALID_HEADER', write: withLines((l) => l.flatMap((x) => (x.startsWith('Message-ID:') ? [x, x] : [x]))) },
    { name: 'no To-Path', code: 'CPM_ERR_MSRP_INVALID_HEADER', write: withLines((l) => l.filter((x) => !x.startsWith('To-Path:'))) },
    { name: 'a header line that is not a header', code: 'CPM_ERR_MSRP_INVALID_HEADER', write: withLines((l) => [...l.slice(0, 2), 'Not a header', ...l.slice(2)]) },
  ];
  const fatalDefects: Defect[] = [
    { name: 'a start-line with a 2-character transaction-id', code: 'CPM_ERR_MSRP_INVALID_START_LINE', write: withLines((l) => [l[0]!.replace(/^MSRP \S+/, 'MSRP ab'), ...l.slice(1)]) },
    { name: 'a header line ending in a bare LF', code: 'CPM_ERR_MSRP_INVALID_LINE_END', write: withLines((l) => [`${l[0]!}\n${l[1]!}`, ...l.slice(2)]) },
  ];

  it(
    'a defective request among valid frames gets exactly its own error (400, 501, 413) and parsing goes on; a framing defect stops it with a fatal error',
    () => {
      const withBody = sendArb.filter((f) => f.kind === 'request' && f.body !== undefined && f.body.length > 0);
      fc.assert(
        fc.property(
          fc.array(frameArb, { maxLength: 3 }),
          withBody,
          fc.constantFrom(...requestDefects, ...fatalDefects, { name: 'a chunk over maxChunkBytes', code: 'CPM_ERR_MSRP_CHUNK_TOO_LARGE' as const, write: frameBytes }),
          fc.array(frameArb, { maxLength: 3 }),
          cuts,
          (before, defective, defect, after, at) => {
            const frame = requestOf(defective)!;
            const others = [...before, ...after].flatMap((f) => (f.kind === 'request' ? [f.body?.length ?? 0] : []));
            // The limit lets every other chunk through and stops this one only.
            const maxChunkBytes = defect.code === 'CPM_ERR_MSRP_CHUNK_TOO_LARGE' ? Math.max(...others, 0) + 1 : 0;
            fc.pre(defect.code !== 'CPM_ERR_MSRP_CHUNK_TOO_LARGE' || frame.body!.length > maxChunkBytes);
            const options = { maxChunkBytes };
            const bytes = Buffer.concat([stream(before).bytes, defect.write(frame), stream(after).bytes]);
            const events = parse(split(bytes, at), options);
            const lead = parse([stream(before).bytes], options);
            expect(comparable(events.slice(0, lead.length))).toEqual(comparable(lead));
            const error = events[lead.length];
            expect(error?.type).toBe('error');
            if (error?.type !== 'error') return;
            const spec = MSRP_ERRORS[defect.code];
            expect({ code: error.error.code, status: error.error.status, fatal: error.error.fatal }).toEqual({ code: defect.code, status: spec.status, fatal: spec.fatal });
            if (spec.fatal) {
              expect(events).toHaveLength(lead.length + 1);
              return;
            }
            expect(error.error.frame?.transactionId).toBe(frame.head.transactionId);
            expect(comparable(events.slice(lead.length + 1))).toEqual(comparable(parse([stream(after).bytes], options)));
          },
        ),
        runParameters(),
      );
    },
    timeoutFor(),
  );
});
