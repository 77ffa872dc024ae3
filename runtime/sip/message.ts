/**
 * The SIP message model (RFC 3261 §7): a request or response with an ordered header list that keeps
 * every occurrence and its name as received, and a body of bytes. Helpers read and edit headers by
 * name, compact forms and case included (`v`, `VIA` and `Via` are one header).
 */
import type { Parsed } from './errors.ts';
import { canonicalName, headerKey, isListHeader } from './header-names.ts';
import type { Uri } from './uri.ts';

export interface SipHeader {
  /** As received (e.g. "v", "MaX-fOrWaRdS"), or the canonical spelling for built headers. */
  readonly name: string;
  /** Lower-case long form, see `headerKey`. */
  readonly key: string;
  /** Unfolded and trimmed: LWS folding became one SP (RFC 3261 §7.3.1). */
  readonly value: string;
}

export interface SipRequest {
  readonly kind: 'request';
  method: string;
  uri: Uri;
  headers: SipHeader[];
  body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/**
 * The UTF-8 bytes of a body in memory of their own. `Buffer.from` hands out a short text as a slice
 * of a shared 8 KB slab, and a body kept for a session's length (an SDP answer sent again with
 * every refresh) would keep the whole slab alive: issue 7's heap snapshot found ~8 KB a session.
 */
export function textBody(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 'utf8');
  return bytes;
}

/**
 * The headers `header` and the parser make: each can keep what its value parsed to, for
 * `parsedOnce`. The memo is a private field, so no spread, comparison or serialization sees it, and
 * a copy with another value (`{ ...h, value }`) is a plain object without it: it can never go stale.
 */
class Header implements SipHeader {
  #memo: { readonly parse: unknown; readonly parsed: Parsed<unknown> } | undefined = undefined;

  constructor(
    readonly name: string,
    readonly key: string,
    readonly value: string,
  ) {}

  /** `parse(this.value)`, run once: a header is read with one grammar only. */
  parsed<T>(parse: (value: string) => Parsed<T>): Parsed<T> {
    if (this.#memo?.parse === parse) return this.#memo.parsed as Parsed<T>;
    const parsed = parse(this.value);
    this.#memo = { parse, parsed };
    return parsed;
  }
}

/** A header named `name` (spelled canonically when registered). */
export function header(name: string, value: string): SipHeader {
  const key = headerKey(name);
  return new Header(canonicalName(key, name), key, value);
}

/** A header whose `name` is kept as spelled: as received (e.g. "v", "MaX-fOrWaRdS"), or as the header it edits had it. */
export function receivedHeader(name: string, value: string): SipHeader {
  return new Header(name, headerKey(name), value);
}

/**
 * `parse` for header lines, run at most once per line. Via, From, To and CSeq are read by
 * validation, transaction matching, response routing, dialogs and the B2BUA: issue 7's profile
 * found each parsed 2-4 times per message. A response built from a request shares the request's
 * header objects, and so their parse too. A header built as an object literal is parsed each time.
 *
 * Every caller of a line gets the same value, so `parse` must return a type that is readonly all
 * the way down (as Via, NameAddr, Uri, Param and CSeq are): the compiler is what keeps it safe to
 * share. Freezing it as well cost ~3 µs a message in issue 7's micro-benchmark, more than the memo
 * saves on a 200 OK.
 */
export function parsedOnce<T>(parse: (value: string) => Parsed<T>): (header: SipHeader) => Parsed<T> {
  return (h) => (h instanceof Header ? h.parsed(parse) : parse(h.value));
}

/** The value of the first `name` header, or undefined. */
export function getHeader(message: Pick<SipMessage, 'headers'>, name: string): string | undefined {
  const key = headerKey(name);
  return message.headers.find((h) => h.key === key)?.value;
}

/** The values of every `name` header line, in order. */
export function getHeaders(message: Pick<SipMessage, 'headers'>, name: string): string[] {
  const key = headerKey(name);
  const values: string[] = [];
  for (const h of message.headers) if (h.key === key) values.push(h.value);
  return values;
}

/**
 * Every value of `name`, in order: for a list header (Via, Contact, Route...) each line is split at
 * the commas that are outside quoted strings and angle brackets; other headers give one per line.
 */
export function getHeaderValues(message: Pick<SipMessage, 'headers'>, name: string): string[] {
  const key = headerKey(name);
  const lines = getHeaders(message, key);
  return isListHeader(key) ? lines.flatMap(splitCommaList) : lines;
}

/** Replaces every `name` header by one with `value`, where the first one was (else at the end). */
export function setHeader(message: Pick<SipMessage, 'headers'>, name: string, value: string): void {
  const built = header(name, value);
  const index = message.headers.findIndex((h) => h.key === built.key);
  message.headers = message.headers.filter((h) => h.key !== built.key);
  message.headers.splice(index < 0 ? message.headers.length : index, 0, built);
}

export function addHeader(message: Pick<SipMessage, 'headers'>, name: string, value: string): void {
  message.headers.push(header(name, value));
}

/** Puts `name: value` before the first header (a proxy's or UAC's own Via, RFC 3261 §8.1.1.7). */
export function prependHeader(message: Pick<SipMessage, 'headers'>, name: string, value: string): void {
  message.headers.unshift(header(name, value));
}

export function removeHeader(message: Pick<SipMessage, 'headers'>, name: string): void {
  const key = headerKey(name);
  message.headers = message.headers.filter((h) => h.key !== key);
}

/**
 * Splits `a, "b,c" <sip:d,e>, f` into its elements: commas inside a quoted string (with its
 * quoted-pairs) or inside `<...>` do not separate. Elements are trimmed; empty ones are kept so
 * that a grammar check can refuse them.
 */
export function splitCommaList(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuotes = false;
  let inAngles = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuotes = false;
    } else if (c === 0x22) {
      inQuotes = true;
    } else if (c === 0x3c) {
      inAngles = true;
    } else if (c === 0x3e) {
      inAngles = false;
    } else if (c === 0x2c && !inAngles) {
      parts.push(trimLws(value.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trimLws(value.slice(start)));
  return parts;
}

/** Trims SP and HTAB only: `String.prototype.trim` would also eat U+FEFF and U+00A0 of a UTF-8 value. */
export function trimLws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
