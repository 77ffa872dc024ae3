/**
 * Fuzzing of the SIP parser and stream framer (issue 5): every equivalent way of writing a valid
 * message means the same; mutated, defective and truncated messages are refused with the SIP error
 * the defect calls for (or dropped), never thrown; huge header blocks stay within the framer's
 * limits. The framer's chunk-boundary property lives in test/sip/properties/framer-chunking.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIP_ERRORS, SipParseError, type SipErrorCode } from '../runtime/sip/errors.ts';
import { parseDatagram } from '../runtime/sip/parser.ts';
import { runParameters, timeoutFor } from './support/runs.ts';
import { canonical, render, renderingOf, sipSample, type SipSample } from './support/sip-messages.ts';
import { frame, structureOf } from './support/sip-wire.ts';
import { split } from './support/split.ts';

const LIMITS = { maxHeaderBytes: 4096, maxBodyBytes: 1024, maxBufferedBytes: 8192 };
const cuts = fc.array(fc.nat(), { maxLength: 10 });

function parsedOk(bytes: Buffer) {
  const parsed = parseDatagram(bytes);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}\n${bytes.toString('utf8')}`);
  return parsed.value;
}

/** A refusal the transport can act on: a typed error from the table, answered with a 4xx/5xx or dropped. */
function expectRefusal(error: unknown): asserts error is SipParseError {
  expect(error).toBeInstanceOf(SipParseError);
  const e = error as SipParseError;
  expect(Object.keys(SIP_ERRORS)).toContain(e.code);
  expect(e.status).toBe(SIP_ERRORS[e.code].status);
  expect(e.status).toBeGreaterThanOrEqual(400);
}

function expectWithinLimits(framed: ReturnType<typeof frame>): void {
  expect(framed.errors.length).toBeLessThanOrEqual(1);
  for (const e of framed.errors) expectRefusal(e);
  expect(framed.maxHeld).toBeLessThanOrEqual(LIMITS.maxBufferedBytes);
  expect(framed.maxHeadCapacity).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + 4);
}

const rendered = sipSample.chain((sample) => fc.tuple(fc.constant(sample), renderingOf(sample)).map(([s, r]) => ({ sample: s, bytes: render(s, r) })));

/** One defect with the refusal it must get, applied to the canonical form's lines. */
interface Defect {
  name: string;
  code: SipErrorCode;
  appliesTo: (sample: SipSample) => boolean;
  apply: (head: string[], sample: SipSample) => (string | Buffer)[];
}

const isRequest = (s: SipSample) => !s.startLine.startsWith('SIP/');
const without = (name: string) => (head: string[]) => head.filter((l) => !l.startsWith(`${name}:`));
const doubled = (name: string) => (head: string[]) => head.flatMap((l) => (l.startsWith(`${name}:`) ? [l, l] : [l]));

const defects: Defect[] = [
  { name: 'no Via', code: 'CPM_ERR_SIP_MISSING_HEADER', appliesTo: () => true, apply: without('Via') },
  { name: 'no Call-ID', code: 'CPM_ERR_SIP_MISSING_HEADER', appliesTo: () => true, apply: without('Call-ID') },
  { name: 'two CSeq', code: 'CPM_ERR_SIP_DUPLICATE_HEADER', appliesTo: () => true, apply: doubled('CSeq') },
  { name: 'two From', code: 'CPM_ERR_SIP_DUPLICATE_HEADER', appliesTo: () => true, apply: doubled('From') },
  {
    name: 'SIP/3.0',
    code: 'CPM_ERR_SIP_BAD_VERSION',
    appliesTo: isRequest,
    apply: (head) => [head[0]!.replace(/SIP\/2\.0$/, 'SIP/3.0'), ...head.slice(1)],
  },
  {
    name: 'CSeq of another method',
    code: 'CPM_ERR_SIP_CSEQ_METHOD_MISMATCH',
    appliesTo: isRequest,
    apply: (head) => head.map((l) => (l.startsWith('CSeq:') ? l.replace(/ [A-Z]+$/, ' PRACK') : l)),
  },
  {
    name: 'Content-Length beyond the body',
    code: 'CPM_ERR_SIP_BODY_TRUNCATED',
    appliesTo: () => true,
    apply: (head, s) => head.map((l) => (l.startsWith('Content-Length:') ? `Content-Length: ${s.body.length + 1}` : l)),
  },
  { name: 'bare CR in a header line', code: 'CPM_ERR_SIP_BAD_HEADER_LINE', appliesTo: () => true, apply: (head) => [...head, 'X-Defect: a\rb'] },
  { name: 'a header line without a colon', code: 'CPM_ERR_SIP_BAD_HEADER_LINE', appliesTo: () => true, apply: (head) => [...head, 'X-Defect'] },
  { name: 'a byte that is not UTF-8', code: 'CPM_ERR_SIP_BAD_ENCODING', appliesTo: () => true, apply: (head) => [...head, Buffer.from('X-Defect: \xff', 'latin1')] },
];

function withDefect(sample: SipSample, defect: Defect): Buffer {
  const text = canonical(sample);
  const headEnd = text.indexOf('\r\n\r\n');
  const head = text.subarray(0, headEnd).toString('utf8').split('\r\n');
  const lines = defect.apply(head, sample).map((l) => (typeof l === 'string' ? Buffer.from(l, 'utf8') : l));
  const joined = lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\r\n'), l]));
  return Buffer.concat([...joined, Buffer.from('\r\n\r\n'), sample.body]);
}

describe('SIP parser and framer fuzzing', () => {
  it(
    'a valid message in any equivalent form (compact names, case, folding, odd spacing, IPv6, lists on one line, LF ends) parses to the structure of its canonical form, as a datagram and on a stream split anyhow',
    () => {
      const forms = sipSample.chain((sample) => fc.tuple(fc.constant(sample), renderingOf(sample)));
      fc.assert(
        fc.property(forms, fc.nat(2), cuts, ([sample, rendering], repeats, at) => {
          const expected = structureOf(parsedOk(canonical(sample)));
          const bytes = render(sample, rendering);
          expect(structureOf(parsedOk(bytes))).toEqual(expected);
          const framed = frame(LIMITS, split(Buffer.concat(Array.from({ length: 1 + repeats }, () => bytes)), at));
          expect(framed.errors).toEqual([]);
          expect(framed.messages.map(structureOf)).toEqual(Array.from({ length: 1 + repeats }, () => expected));
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'a message with one defect is refused with the error the defect calls for, answerable when it is a request',
    () => {
      const cases = sipSample.chain((sample) => fc.tuple(fc.constant(sample), fc.constantFrom(...defects.filter((d) => d.appliesTo(sample)))));
      fc.assert(
        fc.property(cases, ([sample, defect]) => {
          const parsed = parseDatagram(withDefect(sample, defect));
          expect(parsed.ok, defect.name).toBe(false);
          if (parsed.ok) return;
          expectRefusal(parsed.error);
          expect(parsed.error.code, defect.name).toBe(defect.code);
          // RFC 3261 §8.2.6.2: a request still naming its Via, From, To, Call-ID and CSeq gets an answer.
          const answerable = isRequest(sample) && !['no Via', 'no Call-ID'].includes(defect.name);
          expect(parsed.error.response !== undefined, defect.name).toBe(answerable);
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'mutated bytes are parsed or refused with a typed SIP error, never thrown, and never make the framer hold more than its limits',
    () => {
      const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) });
      fc.assert(
        fc.property(rendered, fc.array(mutation, { minLength: 1, maxLength: 6 }), cuts, ({ bytes }, mutations, at) => {
          const mutated = [...bytes];
          for (const { at: position, kind, byte } of mutations) {
            const i = position % (mutated.length + 1);
            if (kind === 'insert') mutated.splice(i, 0, byte);
            else if (kind === 'delete') mutated.splice(i, 1);
            else if (i < mutated.length) mutated[i] = byte;
          }
          const parsed = parseDatagram(Buffer.from(mutated));
          if (!parsed.ok) expectRefusal(parsed.error);
          expectWithinLimits(frame(LIMITS, split(Buffer.concat([Buffer.from(mutated), bytes]), at)));
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'a truncated message is refused as a datagram, and waited for within the limits on a stream until the rest arrives',
    () => {
      fc.assert(
        fc.property(rendered, fc.nat(), cuts, ({ bytes }, cut, at) => {
          const prefix = bytes.subarray(0, cut % bytes.length);
          const parsed = parseDatagram(prefix);
          expect(parsed.ok).toBe(false);
          if (!parsed.ok) {
            expectRefusal(parsed.error);
            expect(['CPM_ERR_SIP_INCOMPLETE_HEADERS', 'CPM_ERR_SIP_BODY_TRUNCATED']).toContain(parsed.error.code);
          }
          const partial = frame(LIMITS, split(prefix, at));
          expect(partial.messages).toEqual([]);
          expectWithinLimits(partial);
          const whole = frame(LIMITS, [...split(prefix, at), bytes.subarray(prefix.length)]);
          expect(whole.messages.map(structureOf)).toEqual([structureOf(parsedOk(bytes))]);
        }),
        runParameters(),
      );
    },
    timeoutFor(),
  );

  it(
    'huge header counts and long values are refused with 513 by the framer within its limits, and never throw out of the datagram parser',
    () => {
      const padding = fc.record({ lines: fc.integer({ min: 1, max: 3000 }), width: fc.integer({ min: 1, max: 64 }), viaValues: fc.integer({ min: 1, max: 400 }) });
      fc.assert(
        fc.property(rendered, padding, cuts, ({ bytes }, { lines, width, viaValues }, at) => {
          const text = bytes.toString('latin1');
          const eol = text.includes('\r\n') ? '\r\n' : '\n';
          const end = text.indexOf(`${eol}${eol}`);
          const pad = Array.from({ length: lines }, (_, i) => `X-Pad-${i}: ${'v'.repeat(width)}`).join(eol);
          const vias = Array.from({ length: viaValues }, (_, i) => `SIP/2.0/TCP [2001:db8::${(i % 0xffff).toString(16)}]:5060;branch=z9hG4bK${i}`).join(', ');
          const huge = Buffer.from(`${text.slice(0, end)}${eol}Via: ${vias}${eol}${pad}${text.slice(end)}`, 'latin1');
          const parsed = parseDatagram(huge);
          if (!parsed.ok) expectRefusal(parsed.error);
          const framed = frame(LIMITS, split(huge, at));
          expectWithinLimits(framed);
          const headBytes = huge.indexOf(`${eol}${eol}`) + 2 * eol.length;
          if (headBytes > LIMITS.maxHeaderBytes) expect(framed.errors.map((e) => [e.code, e.status])).toEqual([['CPM_ERR_SIP_HEADER_TOO_LARGE', 513]]);
          else expect(framed.messages).toHaveLength(1);
        }),
        runParameters(200),
      );
    },
    timeoutFor(),
  );
});
