/**
 * Typed errors of the SIP message layer and transports. Each peer fault has a stable
 * `CPM_ERR_SIP_*` code that tests and logs key on, plus the status and reason phrase a UAS answers
 * with when the fault is in a request it can still answer (one table, like ws's close codes).
 */
import type { SipHeader } from './message.ts';

/**
 * Status and reason phrase per code. RFC 3261 §21.4.1 makes 400 the answer to a malformed request
 * and lets the reason phrase say what is wrong; §21.5.14 (513) and §21.5.15 (505) name two cases.
 */
export const SIP_ERRORS = {
  CPM_ERR_SIP_BAD_START_LINE: { status: 400, reason: 'Malformed Start Line' },
  CPM_ERR_SIP_BAD_VERSION: { status: 505, reason: 'Version Not Supported' },
  CPM_ERR_SIP_BAD_STATUS_CODE: { status: 400, reason: 'Bad Status Code' },
  CPM_ERR_SIP_BAD_REQUEST_URI: { status: 400, reason: 'Bad Request-URI' },
  CPM_ERR_SIP_BAD_HEADER_LINE: { status: 400, reason: 'Malformed Header Line' },
  CPM_ERR_SIP_BAD_ENCODING: { status: 400, reason: 'Header Not UTF-8' },
  CPM_ERR_SIP_INCOMPLETE_HEADERS: { status: 400, reason: 'Header Block Not Terminated' },
  CPM_ERR_SIP_HEADER_TOO_LARGE: { status: 513, reason: 'Header Block Too Large' },
  CPM_ERR_SIP_BODY_TOO_LARGE: { status: 513, reason: 'Message Body Too Large' },
  CPM_ERR_SIP_BUFFER_OVERFLOW: { status: 513, reason: 'Message Too Large' },
  CPM_ERR_SIP_DATAGRAM_TOO_LARGE: { status: 513, reason: 'Datagram Too Large' },
  CPM_ERR_SIP_BAD_CONTENT_LENGTH: { status: 400, reason: 'Bad Content-Length' },
  CPM_ERR_SIP_MISSING_CONTENT_LENGTH: { status: 400, reason: 'Missing Content-Length' },
  CPM_ERR_SIP_BODY_TRUNCATED: { status: 400, reason: 'Body Shorter Than Content-Length' },
  CPM_ERR_SIP_MISSING_HEADER: { status: 400, reason: 'Missing Mandatory Header' },
  CPM_ERR_SIP_DUPLICATE_HEADER: { status: 400, reason: 'Single-Value Header Repeated' },
  CPM_ERR_SIP_BAD_VIA: { status: 400, reason: 'Malformed Via' },
  CPM_ERR_SIP_BAD_CSEQ: { status: 400, reason: 'Malformed CSeq' },
  CPM_ERR_SIP_CSEQ_METHOD_MISMATCH: { status: 400, reason: 'CSeq Method Mismatch' },
  CPM_ERR_SIP_BAD_NAME_ADDR: { status: 400, reason: 'Malformed Address' },
  CPM_ERR_SIP_BAD_CALL_ID: { status: 400, reason: 'Malformed Call-ID' },
  CPM_ERR_SIP_BAD_MAX_FORWARDS: { status: 400, reason: 'Malformed Max-Forwards' },
  CPM_ERR_SIP_BAD_URI: { status: 400, reason: 'Malformed URI' },
  CPM_ERR_SIP_BAD_HEADER_VALUE: { status: 400, reason: 'Malformed Header Value' },
} as const satisfies Record<string, { status: number; reason: string }>;

export type SipErrorCode = keyof typeof SIP_ERRORS;

/**
 * What a UAS needs to answer a request it could not accept: its method and the headers RFC 3261
 * §8.2.6.2 copies into a response (Via, From, To, Call-ID, CSeq), taken verbatim as received.
 */
export interface ResponseContext {
  readonly method: string;
  readonly headers: readonly SipHeader[];
}

/**
 * A message (or one header value) that does not follow the RFC 3261 §25 grammar or breaks a limit.
 * `response` is present only when the fault is in a request whose Via, From, To, Call-ID and CSeq
 * were all found, so that a `status` response can be built and sent back.
 */
export class SipParseError extends Error {
  override readonly name = 'SipParseError';
  readonly status: number;
  readonly reason: string;

  constructor(
    readonly code: SipErrorCode,
    message: string,
    readonly response?: ResponseContext,
  ) {
    super(message);
    this.status = SIP_ERRORS[code].status;
    this.reason = SIP_ERRORS[code].reason;
  }

  /** The same fault, now knowing which request it belongs to. */
  withResponse(response: ResponseContext | undefined): SipParseError {
    return response === undefined ? this : new SipParseError(this.code, this.message, response);
  }
}

/**
 * A message could not be sent (no route, connect refused, socket closed, send buffer full). As in
 * SIP.js, every transport failure reaches the transaction layer as this one type (RFC 3261 §18.4).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code = 'CPM_ERR_SIP_TRANSPORT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option of `SipTransport.listen` that cannot work; the message says what to pass instead. */
export class TransportOptionsError extends Error {
  override readonly name = 'TransportOptionsError';
  readonly code = 'CPM_ERR_SIP_BAD_OPTIONS';
}

/** The outcome of parsing untrusted input: parsers return it instead of throwing. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SipParseError };

/**
 * Runs a grammar routine that signals faults by throwing `SipParseError`, and turns the fault into a
 * `Parsed` failure so no throw ever leaves a parser. Anything else thrown is a bug and propagates.
 */
export function attempt<T>(routine: () => T): Parsed<T> {
  try {
    return { ok: true, value: routine() };
  } catch (error) {
    if (error instanceof SipParseError) return { ok: false, error };
    throw error;
  }
}
