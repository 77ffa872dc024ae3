/**
 * What the SIP fuzzing compares and bounds: the structure of a parsed message (every header's
 * values, structured ones parsed, in order, grouped by header), and a framer whose held bytes are
 * checked after every write.
 */
import { SipParseError } from '../../runtime/sip/errors.ts';
import { parseCSeq } from '../../runtime/sip/headers/cseq.ts';
import { parseNameAddr } from '../../runtime/sip/headers/name-addr.ts';
import { parseSessionExpires } from '../../runtime/sip/headers/session-expires.ts';
import { parseVia } from '../../runtime/sip/headers/via.ts';
import { getHeaderValues, type SipMessage } from '../../runtime/sip/message.ts';
import { SipStreamFramer, type FramerLimits } from '../../runtime/sip/stream-framer.ts';

function normalise(key: string, value: string): unknown {
  switch (key) {
    case 'via':
      return parseVia(value);
    case 'from':
    case 'to':
    case 'contact':
    case 'p-asserted-identity':
      return parseNameAddr(value);
    case 'cseq':
      return parseCSeq(value);
    case 'session-expires':
      return parseSessionExpires(value);
    case 'content-length':
    case 'max-forwards':
      return Number(value);
    default:
      return value;
  }
}

/** What a message means: start line, each header's values (split, unfolded, parsed), body. */
export function structureOf(message: SipMessage): unknown {
  const start = message.kind === 'request' ? { method: message.method, uri: message.uri } : { status: message.status, reason: message.reason };
  const keys = [...new Set(message.headers.map((h) => h.key))].sort();
  const headers = Object.fromEntries(keys.map((key) => [key, getHeaderValues(message, key).map((v) => normalise(key, v))]));
  return { start, headers, body: message.body.toString('hex') };
}

export interface Framed {
  messages: SipMessage[];
  errors: SipParseError[];
  /** The most bytes the framer held at once, and the largest header accumulator it grew. */
  maxHeld: number;
  maxHeadCapacity: number;
}

/** The framer's private accounting, read to bound its memory (ws/undici expose the same as `bufferedBytes`). */
interface FramerInternals {
  buffered: number;
  headLength: number;
  head: Buffer;
}

/** Pushes `chunks` into a fresh framer, measuring what it holds after every push. */
export function frame(limits: FramerLimits, chunks: readonly Buffer[]): Framed {
  const out: Framed = { messages: [], errors: [], maxHeld: 0, maxHeadCapacity: 0 };
  const framer = new SipStreamFramer(limits, {
    onMessage: (m) => out.messages.push(m),
    onPing: () => undefined,
    onError: (e) => out.errors.push(e),
  });
  const internals = framer as unknown as FramerInternals;
  for (const chunk of chunks) {
    framer.push(chunk);
    if (typeof internals.buffered !== 'number' || !Buffer.isBuffer(internals.head)) {
      throw new Error('SipStreamFramer no longer keeps `buffered` and `head`: update properties/support/sip-wire.ts');
    }
    out.maxHeld = Math.max(out.maxHeld, internals.buffered + internals.headLength);
    out.maxHeadCapacity = Math.max(out.maxHeadCapacity, internals.head.length);
  }
  return out;
}
