/**
 * MSRP header fields (RFC 4975 §9): one parse and one format per field, and the header block
 * as a whole in the order RFC 4975 writes it (To-Path, From-Path first; Content-Type last).
 */
import { isHeaderName, isIdent, isToken, isUtf8Text } from './abnf.ts';
import type { ParseResult } from './errors.ts';
import { formatMsrpUri, parseMsrpUri } from './uri.ts';
import type { MsrpUri } from './uri.ts';

/** One `name: value` line, as received (extension and MIME fields are kept this way). */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** RFC 4975 §9 Byte-Range; positions count from 1, `'*'` means not (yet) known. */
export interface ByteRange {
  readonly start: number;
  readonly end: number | '*';
  readonly total: number | '*';
}

export type SuccessReport = 'yes' | 'no';
export type FailureReport = 'yes' | 'no' | 'partial';

/** RFC 4975 §9 Status header of a REPORT: `000 200 OK`. */
export interface StatusHeader {
  /** Three digits; "000" for every code of RFC 4975. */
  readonly namespace: string;
  readonly code: number;
  readonly comment?: string;
}

export interface MsrpHeaders {
  readonly toPath: readonly MsrpUri[];
  readonly fromPath: readonly MsrpUri[];
  readonly messageId?: string;
  readonly successReport?: SuccessReport;
  readonly failureReport?: FailureReport;
  readonly byteRange?: ByteRange;
  readonly status?: StatusHeader;
  /** ext-header fields, in the order received. */
  readonly extensions: readonly HeaderField[];
  /** Other-Mime-header fields (Content-ID, Content-Description, Content-Disposition, other Content-*). */
  readonly mime: readonly HeaderField[];
  /** The media-type as written; `parseMediaType` reads it. */
  readonly contentType?: string;
}

/** RFC 4975 §9 media-type = type "/" subtype *( ";" gen-param ) */
export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly MediaTypeParam[];
}

export interface MediaTypeParam {
  readonly name: string;
  /** A token, or a quoted-string kept with its quotes and escapes. */
  readonly value?: string;
}

/**
 * Splits one header line (without its CRLF).
 *
 * RFC 4975 §9: ext-header = hname ":" SP hval ; hval = utf8text. Whitespace after the colon is
 * skipped rather than demanded to be one SP, as other SIP-family stacks write it loosely.
 */
export function parseHeaderLine(line: string): ParseResult<HeaderField> {
  const colon = line.indexOf(':');
  const name = colon === -1 ? line : line.slice(0, colon);
  if (colon === -1 || !isHeaderName(name)) {
    return { ok: false, reason: `header line "${line}" is not hname ":" SP hval (RFC 4975 §9)` };
  }
  const value = line.slice(colon + 1).replace(/^[ \t]+/, '');
  if (!isUtf8Text(value)) return { ok: false, reason: `${name} value has control characters` };
  return { ok: true, value: { name, value } };
}

export function formatHeaderField(field: HeaderField): string {
  return `${field.name}: ${field.value}`;
}

/** RFC 4975 §9: To-Path / From-Path = MSRP-URI *( SP MSRP-URI ) */
export function parsePath(value: string): ParseResult<MsrpUri[]> {
  const uris: MsrpUri[] = [];
  for (const text of value.split(' ')) {
    const uri = parseMsrpUri(text);
    if (!uri.ok) return uri;
    uris.push(uri.value);
  }
  return { ok: true, value: uris };
}

export function formatPath(uris: readonly MsrpUri[]): string {
  return uris.map(formatMsrpUri).join(' ');
}

// RFC 4975 §9: Byte-Range = "Byte-Range:" SP range-start "-" range-end "/" total
//              range-start = 1*DIGIT ; range-end = 1*DIGIT / "*" ; total = 1*DIGIT / "*"
// Digits are capped at 15 so every value is an exact JavaScript number.
const BYTE_RANGE = /^([0-9]{1,15})-([0-9]{1,15}|\*)\/([0-9]{1,15}|\*)$/;

export function parseByteRange(value: string): ParseResult<ByteRange> {
  const m = BYTE_RANGE.exec(value);
  if (m === null) {
    return { ok: false, reason: `Byte-Range "${value}" is not range-start "-" range-end "/" total (RFC 4975 §9)` };
  }
  const range: ByteRange = { start: Number(m[1]), end: starOrNumber(m[2]), total: starOrNumber(m[3]) };
  // RFC 4975 §7.1.1: Byte-Range positions count from one (the first octet), not zero.
  if (range.start < 1) return { ok: false, reason: `Byte-Range "${value}" starts before octet 1` };
  // An empty chunk is written start-(start-1), e.g. the 1-0/0 of an empty SEND.
  if (range.end !== '*' && range.end < range.start - 1) {
    return { ok: false, reason: `Byte-Range "${value}" ends before it starts` };
  }
  const last = range.end === '*' ? range.start - 1 : range.end;
  if (range.total !== '*' && last > range.total) {
    return { ok: false, reason: `Byte-Range "${value}" goes past the message's total` };
  }
  return { ok: true, value: range };
}

export function formatByteRange(range: ByteRange): string {
  return `${range.start}-${range.end}/${range.total}`;
}

/** The number of body bytes a Byte-Range announces, or undefined when its end is `*`. */
export function byteRangeLength(range: ByteRange): number | undefined {
  return range.end === '*' ? undefined : range.end - range.start + 1;
}

// RFC 4975 §9: Message-ID = "Message-ID:" SP ident
export function parseMessageId(value: string): ParseResult<string> {
  if (isIdent(value)) return { ok: true, value };
  return { ok: false, reason: `Message-ID "${value}" is not an ident (4 to 32 of A-Z a-z 0-9 . - + % =)` };
}

// RFC 4975 §9: Success-Report = "Success-Report:" SP ("yes" / "no" ). ABNF strings are
// case-insensitive (RFC 5234 §2.3), hence the lower-casing.
export function parseSuccessReport(value: string): ParseResult<SuccessReport> {
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'no') return { ok: true, value: v };
  return { ok: false, reason: `Success-Report "${value}" is neither "yes" nor "no"` };
}

// RFC 4975 §9: Failure-Report = "Failure-Report:" SP ("yes" / "no" / "partial" )
export function parseFailureReport(value: string): ParseResult<FailureReport> {
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'no' || v === 'partial') return { ok: true, value: v };
  return { ok: false, reason: `Failure-Report "${value}" is not "yes", "no" or "partial"` };
}

// RFC 4975 §9: Status = "Status:" SP namespace SP status-code [SP comment]
//              namespace = 3(DIGIT) ; status-code = 3DIGIT ; comment = utf8text
// (`s` flag: a comment may hold U+2028/U+2029, which `.` would not match)
const STATUS = /^([0-9]{3}) ([0-9]{3})(?: (.*))?$/s;

export function parseStatusHeader(value: string): ParseResult<StatusHeader> {
  const m = STATUS.exec(value);
  if (m === null) {
    return { ok: false, reason: `Status "${value}" is not namespace SP status-code [SP comment] (RFC 4975 §9)` };
  }
  const [, namespace = '', code, comment] = m;
  const base = { namespace, code: Number(code) };
  return { ok: true, value: comment === undefined ? base : { ...base, comment } };
}

export function formatStatusHeader(status: StatusHeader): string {
  const code = formatStatusCode(status.code);
  return status.comment === undefined ? `${status.namespace} ${code}` : `${status.namespace} ${code} ${status.comment}`;
}

/** RFC 4975 §9 status-code = 3DIGIT, so codes below 100 keep their leading zeros. */
export function formatStatusCode(code: number): string {
  return String(code).padStart(3, '0');
}

/**
 * Reads a Content-Type value. Whitespace around ";" and "=" is tolerated (it is common on the
 * wire although RFC 4975 §9 has none); `formatMediaType` writes none.
 */
export function parseMediaType(value: string): ParseResult<MediaType> {
  const bad = (why: string): ParseResult<MediaType> => ({
    ok: false,
    reason: `Content-Type "${value}" is not type "/" subtype *( ";" gen-param ): ${why}`,
  });
  const [head = '', ...rest] = splitParams(value);
  const slash = head.indexOf('/');
  const type = head.slice(0, slash).trim();
  const subtype = head.slice(slash + 1).trim();
  if (slash === -1 || !isToken(type) || !isToken(subtype)) return bad('type or subtype is not a token');
  const params: MediaTypeParam[] = [];
  for (const raw of rest) {
    // RFC 4975 §9: gen-param = pname [ "=" pval ] ; pval = token / quoted-string
    const eq = raw.indexOf('=');
    const name = (eq === -1 ? raw : raw.slice(0, eq)).trim();
    const pval = eq === -1 ? undefined : raw.slice(eq + 1).trim();
    if (!isToken(name)) return bad(`parameter name "${name}" is not a token`);
    if (pval !== undefined && !isToken(pval) && !isQuotedString(pval)) {
      return bad(`parameter ${name} value "${pval}" is neither token nor quoted-string`);
    }
    params.push(pval === undefined ? { name } : { name, value: pval });
  }
  return { ok: true, value: { type, subtype, params } };
}

export function formatMediaType(media: MediaType): string {
  const params = media.params.map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`));
  return `${media.type}/${media.subtype}${params.join('')}`;
}

/**
 * Builds the structured headers from a frame's fields. `headers` holds every field that
 * parsed (To-Path/From-Path empty when they did not), so a caller can still answer a request
 * whose other fields are bad; `problem` names the first field that did not. `readPath` reads the
 * To-Path and From-Path values (a connection passes its `PathMemo`).
 */
export function parseHeaders(fields: readonly HeaderField[], readPath: PathReader = parsePath): { headers: MsrpHeaders; problem: string | undefined } {
  const draft: Draft = { toPath: [], fromPath: [], extensions: [], mime: [] };
  // The single fields seen, one bit each: a Set per frame showed in the relay's profiles.
  let seen = 0;
  let problem: string | undefined;
  for (const field of fields) {
    const key = field.name.toLowerCase();
    const single = SINGLE_FIELDS.get(key);
    if (single === undefined) {
      // RFC 4975 §9: Other-Mime-header = Content-ID / Content-Description /
      // Content-Disposition / mime-extension-field, the latter being any Content-* (RFC 2045 §9).
      (key.startsWith('content-') ? draft.mime : draft.extensions).push(field);
      continue;
    }
    // Each of these has one meaning per frame; two copies could be read two ways.
    const failure = (seen & single.bit) !== 0 ? `${field.name} appears more than once` : single.read(draft, field.value, readPath);
    seen |= single.bit;
    problem ??= failure;
  }
  // RFC 4975 §9: headers = To-Path CRLF From-Path CRLF 1*( header CRLF )
  if ((seen & TO_PATH.bit) === 0) problem ??= 'To-Path is missing (RFC 4975 §9 requires it in every frame)';
  if ((seen & FROM_PATH.bit) === 0) problem ??= 'From-Path is missing (RFC 4975 §9 requires it in every frame)';
  return { headers: draft, problem };
}

/** The header block, each line ending in CRLF, To-Path and From-Path first, Content-Type last. */
export function formatHeaders(headers: MsrpHeaders): string {
  return formatPathHeaders(headers.toPath, headers.fromPath) + formatHeadersAfterPaths(headers);
}

/** The To-Path and From-Path lines that open every header block (RFC 4975 §9). */
export function formatPathHeaders(toPath: readonly MsrpUri[], fromPath: readonly MsrpUri[]): string {
  return `To-Path: ${formatPath(toPath)}\r\nFrom-Path: ${formatPath(fromPath)}\r\n`;
}

/**
 * The lines of a header block after From-Path, each ending in CRLF: written apart so that a sender
 * of many frames with the same addresses formats those once (the relay's copies of a chunk).
 */
export function formatHeadersAfterPaths(headers: Omit<MsrpHeaders, 'toPath' | 'fromPath'>): string {
  const lines: string[] = [];
  if (headers.messageId !== undefined) lines.push(`Message-ID: ${headers.messageId}`);
  if (headers.successReport !== undefined) lines.push(`Success-Report: ${headers.successReport}`);
  if (headers.failureReport !== undefined) lines.push(`Failure-Report: ${headers.failureReport}`);
  if (headers.byteRange !== undefined) lines.push(`Byte-Range: ${formatByteRange(headers.byteRange)}`);
  if (headers.status !== undefined) lines.push(`Status: ${formatStatusHeader(headers.status)}`);
  for (const field of headers.extensions) lines.push(formatHeaderField(field));
  // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF
  for (const field of headers.mime) lines.push(formatHeaderField(field));
  if (headers.contentType !== undefined) lines.push(`Content-Type: ${headers.contentType}`);
  return lines.map((line) => `${line}\r\n`).join('');
}

type Draft = { -readonly [K in keyof MsrpHeaders]: MsrpHeaders[K] } & {
  extensions: HeaderField[];
  mime: HeaderField[];
};

/** How To-Path and From-Path values are read: `parsePath`, or a connection's `PathMemo`. */
export type PathReader = (value: string) => ParseResult<readonly MsrpUri[]>;

/** Reads one field into the draft; returns why it could not, or undefined. */
type FieldReader = (draft: Draft, value: string, readPath: PathReader) => string | undefined;

function into<T>(result: ParseResult<T>, store: (value: T) => void): string | undefined {
  if (!result.ok) return result.reason;
  store(result.value);
  return undefined;
}

/** A field that may appear once per frame: its bit among those seen, and its reader. */
interface SingleField {
  readonly bit: number;
  readonly read: FieldReader;
}

const TO_PATH: SingleField = { bit: 1 << 0, read: (d, v, readPath) => into(readPath(v), (p) => (d.toPath = p)) };
const FROM_PATH: SingleField = { bit: 1 << 1, read: (d, v, readPath) => into(readPath(v), (p) => (d.fromPath = p)) };

/** By lower-case name; a Map, so that a header named like an Object property ("constructor") is just an extension. */
const SINGLE_FIELDS: ReadonlyMap<string, SingleField> = new Map([
  ['to-path', TO_PATH],
  ['from-path', FROM_PATH],
  ['message-id', { bit: 1 << 2, read: (d, v) => into(parseMessageId(v), (id) => (d.messageId = id)) }],
  ['success-report', { bit: 1 << 3, read: (d, v) => into(parseSuccessReport(v), (r) => (d.successReport = r)) }],
  ['failure-report', { bit: 1 << 4, read: (d, v) => into(parseFailureReport(v), (r) => (d.failureReport = r)) }],
  ['byte-range', { bit: 1 << 5, read: (d, v) => into(parseByteRange(v), (r) => (d.byteRange = r)) }],
  ['status', { bit: 1 << 6, read: (d, v) => into(parseStatusHeader(v), (s) => (d.status = s)) }],
  ['content-type', { bit: 1 << 7, read: (d, v) => into(parseMediaType(v), () => (d.contentType = v)) }],
]);

function starOrNumber(text: string | undefined): number | '*' {
  return text === '*' ? '*' : Number(text);
}

const QUOTED_STRING = /^"(?:[^"\\]|\\[\\"])*"$/;

function isQuotedString(text: string): boolean {
  return QUOTED_STRING.test(text);
}

/** Splits at ";" outside quoted-strings. */
function splitParams(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
