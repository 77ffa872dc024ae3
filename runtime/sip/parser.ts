/**
 * Parsing of one SIP message (RFC 3261 §7, §25): the start line, header lines with LWS folding
 * (§7.3.1), compact and case-insensitive names, CRLF or bare LF line ends (RFC 4475 §3.1.1.1), a
 * UTF-8 header block, and a body framed by Content-Length in octets. Nothing here throws on input:
 * every fault is a `SipParseError` with a stable code, carrying a `ResponseContext` when it is in a
 * request that can still be answered.
 */
import { CR, HTAB, LF, SP, isToken } from './charsets.ts';
import { SipParseError, type Parsed, type ResponseContext } from './errors.ts';
import { receivedHeader, trimLws, type SipHeader, type SipMessage } from './message.ts';
import { validateMessage } from './message-validation.ts';
import { readUri, type Uri } from './uri.ts';

/** Where a header block ends: `headEnd` just after the last header line, `bodyStart` after the empty line. */
export interface HeadBounds {
  readonly headEnd: number;
  readonly bodyStart: number;
}

/** A parsed start line and header block, before its body is known. */
export interface ParsedHead {
  readonly message: SipMessage;
  readonly contentLength: number | null;
}

const EMPTY_BODY = Buffer.alloc(0);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Finds the empty line that ends the header block, searching `buf` from `from` (a position at or
 * before the start of a line). Returns null when more bytes are needed.
 */
export function findHeaderEnd(buf: Buffer, from: number): HeadBounds | null {
  let lf = buf.indexOf(LF, from);
  while (lf >= 0) {
    const next = buf[lf + 1];
    if (next === LF) return { headEnd: lf + 1, bodyStart: lf + 2 };
    if (next === CR && buf[lf + 2] === LF) return { headEnd: lf + 1, bodyStart: lf + 3 };
    lf = buf.indexOf(LF, lf + 1);
  }
  return null;
}

/** Skips the CRLFs RFC 3261 §7.5 says to ignore before a start line. */
export function skipLineEnds(buf: Buffer, from: number): number {
  let i = from;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  return i;
}

/**
 * Parses a whole message received as one datagram.
 * RFC 3261 §18.3: "Any additional bytes in the
 * transport packet beyond the end of the body MUST be discarded. If the transport packet ends
 * before the end of the message body, this is considered an error ... If the message has no
 * Content-Length header field, the message body is assumed to end at the end of the transport packet."
 * @example
 * const parsed = parseDatagram(datagram);
 * if (!parsed.ok && parsed.error.response) reply(createErrorResponse(parsed.error));
 */
export function parseDatagram(buf: Buffer): Parsed<SipMessage> {
  const start = skipLineEnds(buf, 0);
  const bounds = findHeaderEnd(buf, start);
  if (bounds === null) {
    const fault = new SipParseError('CPM_ERR_SIP_INCOMPLETE_HEADERS', 'no empty line ends the header block');
    return { ok: false, error: fault.withResponse(salvageResponseContext(buf, start, buf.length)) };
  }
  const head = parseHead(buf, start, bounds.headEnd);
  if (!head.ok) return head;
  const { message, contentLength } = head.value;
  if (contentLength === null) {
    message.body = buf.subarray(bounds.bodyStart);
  } else if (bounds.bodyStart + contentLength > buf.length) {
    const fault = new SipParseError('CPM_ERR_SIP_BODY_TRUNCATED', `Content-Length ${contentLength} but ${buf.length - bounds.bodyStart} body bytes`);
    return { ok: false, error: fault.withResponse(responseContextOf(message)) };
  } else {
    message.body = buf.subarray(bounds.bodyStart, bounds.bodyStart + contentLength);
  }
  return { ok: true, value: message };
}

/** Parses the start line and header lines in `buf[start, headEnd)`; the body is left empty. */
export function parseHead(buf: Buffer, start: number, headEnd: number): Parsed<ParsedHead> {
  const text = buf.toString('utf8', start, headEnd);
  const encodingFault = isStrictUtf8(buf, start, headEnd, text)
    ? undefined
    : new SipParseError('CPM_ERR_SIP_BAD_ENCODING', 'header block is not UTF-8');
  const lines = splitHead(text);
  const startLine = readStartLine(lines.startLine);
  const context = startLine.method === undefined ? undefined : responseContext(startLine.method, lines.headers);
  const fault = encodingFault ?? startLine.fault ?? lines.fault;
  if (fault !== undefined || startLine.start === undefined) {
    const error = fault ?? new SipParseError('CPM_ERR_SIP_BAD_START_LINE', 'no start line');
    return { ok: false, error: error.withResponse(context) };
  }
  const message: SipMessage =
    startLine.start.kind === 'request'
      ? { kind: 'request', method: startLine.start.method, uri: startLine.start.uri, headers: lines.headers, body: EMPTY_BODY }
      : { kind: 'response', status: startLine.start.status, reason: startLine.start.reason, headers: lines.headers, body: EMPTY_BODY };
  const validated = validateMessage(message);
  if (validated instanceof SipParseError) return { ok: false, error: validated.withResponse(context) };
  return { ok: true, value: { message, contentLength: validated.contentLength } };
}

/**
 * The response context of whatever complete lines `buf[start, end)` holds: used when a header block
 * is cut short (too large, or a datagram without its empty line) but may still name the request.
 */
export function salvageResponseContext(buf: Buffer, start: number, end: number): ResponseContext | undefined {
  const lastLf = buf.lastIndexOf(LF, end - 1);
  if (lastLf < start) return undefined;
  const lines = splitHead(buf.toString('utf8', start, lastLf + 1));
  const method = readStartLine(lines.startLine).method;
  return method === undefined ? undefined : responseContext(method, lines.headers);
}

/** The context for answering `message` if it is a request, else undefined. */
export function responseContextOf(message: SipMessage): ResponseContext | undefined {
  return message.kind === 'request' ? responseContext(message.method, message.headers) : undefined;
}

// RFC 3261 §8.2.6.2: a response copies every Via, and From, To, Call-ID and CSeq; without all of
// them no usable response can be built, and the request is dropped instead (RFC 4475 §3.3.1).
function responseContext(method: string, headers: readonly SipHeader[]): ResponseContext | undefined {
  const vias = headers.filter((h) => h.key === 'via');
  const copied: SipHeader[] = [...vias];
  for (const key of ['from', 'to', 'call-id', 'cseq']) {
    const found = headers.find((h) => h.key === key);
    if (found === undefined) return undefined;
    copied.push(found);
  }
  return vias.length === 0 ? undefined : { method, headers: copied };
}

// A lossy decode puts U+FFFD where bytes were not UTF-8; only then is the strict decoder run, to
// tell those from a U+FFFD that was really sent.
function isStrictUtf8(buf: Buffer, start: number, end: number, text: string): boolean {
  if (!text.includes('\uFFFD')) return true;
  try {
    strictUtf8.decode(buf.subarray(start, end));
    return true;
  } catch {
    return false;
  }
}

interface HeadLines {
  readonly startLine: string;
  readonly headers: SipHeader[];
  readonly fault?: SipParseError;
}

// Header lines, unfolded. A malformed line is skipped (with any continuation of it) and reported as
// the fault, so the other lines can still name the request for a 400.
function splitHead(text: string): HeadLines {
  const lines = text.split('\n');
  const headers: SipHeader[] = [];
  const names: string[] = [];
  const values: string[] = [];
  let fault: SipParseError | undefined;
  let previousKept = false;
  const reject = (why: string): void => {
    fault ??= new SipParseError('CPM_ERR_SIP_BAD_HEADER_LINE', why);
    previousKept = false;
  };
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.charCodeAt(raw.length - 1) === CR ? raw.slice(0, -1) : raw;
    if (line.length === 0) continue;
    if (line.includes('\r')) {
      reject(`bare CR in header line ${i}`);
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === SP || first === HTAB) {
      // "Header fields can be extended over multiple lines by preceding each extra line with at
      // least one SP or horizontal tab" (§7.3.1); the fold is read as one SP.
      if (!previousKept) {
        reject(`continuation line ${i} without a header`);
        continue;
      }
      const more = trimLws(line);
      const last = values.length - 1;
      if (more.length > 0) values[last] = values[last] === '' ? more : `${values[last]} ${more}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? trimLws(line.slice(0, colon)) : '';
    if (!isToken(name)) {
      reject(`malformed header line ${i}`);
      continue;
    }
    names.push(name);
    values.push(trimLws(line.slice(colon + 1)));
    previousKept = true;
  }
  for (let i = 0; i < names.length; i++) headers.push(receivedHeader(names[i]!, values[i]!));
  const first = lines[0] ?? '';
  const startLine = first.charCodeAt(first.length - 1) === CR ? first.slice(0, -1) : first;
  return fault === undefined ? { startLine, headers } : { startLine, headers, fault };
}

type StartLine = { kind: 'request'; method: string; uri: Uri } | { kind: 'response'; status: number; reason: string };

interface StartLineResult {
  readonly start?: StartLine;
  /** Known as soon as the line looks like a request, so that even a bad one can be answered. */
  readonly method?: string;
  readonly fault?: SipParseError;
}

function readStartLine(line: string): StartLineResult {
  const bad = (why: string, method?: string): StartLineResult => {
    const fault = new SipParseError('CPM_ERR_SIP_BAD_START_LINE', `${why}: "${line.slice(0, 200)}"`);
    return method === undefined ? { fault } : { fault, method };
  };
  if (line.slice(0, 4).toUpperCase() === 'SIP/') return readStatusLine(line, bad);
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly two single SPs, none
  // trailing (RFC 4475 §3.1.2.9, §3.1.2.10 allow refusing the extra ones; refusing is safer).
  const sp1 = line.indexOf(' ');
  const sp2 = line.indexOf(' ', sp1 + 1);
  const method = line.slice(0, sp1);
  if (sp1 <= 0 || !isToken(method)) return bad('malformed method');
  if (sp2 < 0 || sp2 === sp1 + 1) return bad('malformed Request-Line', method);
  const version = line.slice(sp2 + 1);
  if (version.includes(' ') || version.includes('\t')) return bad('extra whitespace in Request-Line', method);
  const versionFault = checkVersion(version);
  if (versionFault !== undefined) return { fault: versionFault, method };
  const uriText = line.slice(sp1 + 1, sp2);
  let uri: Uri;
  try {
    uri = readUri(uriText, 'CPM_ERR_SIP_BAD_REQUEST_URI');
  } catch (error) {
    if (error instanceof SipParseError) return { fault: error, method };
    throw error;
  }
  // RFC 3261 §19.1.1, Table 1: the headers component is not allowed in a Request-URI (RFC 4475 §3.1.2.11).
  if (uri.kind === 'sip' && uri.headers.length > 0) {
    return { fault: new SipParseError('CPM_ERR_SIP_BAD_REQUEST_URI', `escaped headers in Request-URI ${uriText}`), method };
  }
  return { start: { kind: 'request', method, uri }, method };
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; Status-Code = 3DIGIT (RFC 4475 §3.1.2.19).
// RFC 4475 §3.1.1.13: "a liberal receiver would accept" a missing SP before an empty reason phrase.
function readStatusLine(line: string, bad: (why: string) => StartLineResult): StartLineResult {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) return bad('malformed Status-Line');
  const versionFault = checkVersion(line.slice(0, sp1));
  if (versionFault !== undefined) return { fault: versionFault };
  const code = line.slice(sp1 + 1, sp1 + 4);
  const after = line.charCodeAt(sp1 + 4);
  if (code.length !== 3 || !/^[1-6]\d\d$/.test(code) || (!Number.isNaN(after) && after !== SP)) {
    return { fault: new SipParseError('CPM_ERR_SIP_BAD_STATUS_CODE', `bad Status-Code in "${line.slice(0, 200)}"`) };
  }
  const reason = line.slice(sp1 + 5);
  for (let i = 0; i < reason.length; i++) {
    const c = reason.charCodeAt(i);
    if ((c < 0x20 && c !== HTAB) || c === 0x7f) return bad('control character in Reason-Phrase');
  }
  return { start: { kind: 'response', status: Number(code), reason } };
}

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; this layer speaks only 2.0 and answers any other
// well-formed version with 505 (RFC 3261 §21.5.15, RFC 4475 §3.1.2.16).
function checkVersion(version: string): SipParseError | undefined {
  const upper = version.toUpperCase();
  if (upper === 'SIP/2.0') return undefined;
  const wellFormed = /^SIP\/\d+\.\d+$/.test(upper);
  return wellFormed
    ? new SipParseError('CPM_ERR_SIP_BAD_VERSION', `SIP version ${version}`)
    : new SipParseError('CPM_ERR_SIP_BAD_START_LINE', `malformed SIP-Version "${version}"`);
}
