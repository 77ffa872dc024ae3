/**
 * Everything that can go wrong with MSRP bytes, in one table: a stable `CPM_ERR_MSRP_*` code,
 * the MSRP status to answer with when the peer can be answered, and whether the connection can
 * still be framed (`fatal: false`) or must be closed (`fatal: true`).
 *
 * Tests and callers match on `code`, never on the message, so messages may improve freely.
 */
import type { MsrpHeaders } from './headers.ts';

/** What a parse function returns instead of throwing: bad input is data, not a bug. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

interface ErrorSpec {
  /** The MSRP status code to answer the request with; undefined when no answer is possible. */
  readonly status: number | undefined;
  /** True when framing is lost: the parser stops and the caller closes the connection. */
  readonly fatal: boolean;
}

/**
 * The table. Fatal errors carry no status: once framing is lost there is no transaction left
 * to answer. Per-request errors keep the stream in step (the frame's body is skipped up to its
 * end-line), so the caller answers with `status` and reads on.
 */
export const MSRP_ERRORS = {
  /** The first line of a frame is neither `MSRP tid METHOD` nor `MSRP tid code [comment]`. */
  CPM_ERR_MSRP_INVALID_START_LINE: { status: undefined, fatal: true },
  /** A line of the start-line or headers ends in LF without CR. */
  CPM_ERR_MSRP_INVALID_LINE_END: { status: undefined, fatal: true },
  /** Start-line plus headers exceed the `maxHeadBytes` option. */
  CPM_ERR_MSRP_HEAD_TOO_LARGE: { status: undefined, fatal: true },
  /** More header fields than the `maxHeaders` option. */
  CPM_ERR_MSRP_TOO_MANY_HEADERS: { status: undefined, fatal: true },
  /** A bodiless frame ends in an end-line that is not this transaction's. */
  CPM_ERR_MSRP_INVALID_END_LINE: { status: undefined, fatal: true },
  /** A response carries a body, which RFC 4975 §9 `msrp-response` does not allow. */
  CPM_ERR_MSRP_RESPONSE_WITH_BODY: { status: undefined, fatal: true },
  /** The connection ended inside a frame. */
  CPM_ERR_MSRP_TRUNCATED_FRAME: { status: undefined, fatal: true },
  /** A header field is malformed, repeated, or a mandatory one is missing. */
  CPM_ERR_MSRP_INVALID_HEADER: { status: 400, fatal: false },
  /** A request has a body but no Content-Type. */
  CPM_ERR_MSRP_MISSING_CONTENT_TYPE: { status: 400, fatal: false },
  /** A well-formed method this endpoint does not implement. */
  CPM_ERR_MSRP_UNKNOWN_METHOD: { status: 501, fatal: false },
  /** A chunk's body is larger than the `maxChunkBytes` option. */
  CPM_ERR_MSRP_CHUNK_TOO_LARGE: { status: 413, fatal: false },
  /** The session layer does not accept the Content-Type (negotiated accept-types). */
  CPM_ERR_MSRP_UNSUPPORTED_MEDIA_TYPE: { status: 415, fatal: false },
  /** The To-Path names no session of this endpoint. */
  CPM_ERR_MSRP_NO_SUCH_SESSION: { status: 481, fatal: false },
  /** The session is already bound to another connection. */
  CPM_ERR_MSRP_SESSION_ON_OTHER_CONNECTION: { status: 506, fatal: false },
  /** No response arrived in time for a request this endpoint sent. */
  CPM_ERR_MSRP_TRANSACTION_TIMEOUT: { status: 408, fatal: false },
} as const satisfies Record<string, ErrorSpec>;

export type MsrpErrorCode = keyof typeof MSRP_ERRORS;

/**
 * The comment put after each status code this project sends. RFC 4975 §9 makes the comment
 * optional free text; these are the IANA "MSRP Parameters" descriptions, except 200 where
 * every example of RFC 4975 says "OK".
 */
export const STATUS_COMMENTS: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Unintelligible',
  403: 'Action-not-allowed',
  408: 'Transaction-did-not-complete-in-allotted-time',
  413: 'Stop-sending-message',
  415: 'MIME-not-understood',
  423: 'Parameter-out-of-bounds',
  481: 'Session-does-not-exist',
  501: 'Request-method-not-understood',
  506: 'Session-already-in-use',
};

/** The transaction an error belongs to, as far as it could be read, so the caller can answer. */
export interface MsrpFrameContext {
  readonly transactionId: string;
  /** Undefined for a response. */
  readonly method?: string;
  /** The header fields that parsed; To-Path/From-Path are empty when they did not. */
  readonly headers?: MsrpHeaders;
}

/**
 * A peer's fault in MSRP bytes. `status` is what to answer (RFC 4975 §7.2: To-Path = first
 * From-Path URI of `frame.headers`); `fatal` says the connection must be closed.
 *
 * @example
 * parser.onError = (err) => err.fatal ? socket.destroy() : answer(err.frame, err.status);
 */
export class MsrpError extends Error {
  override readonly name = 'MsrpError';
  readonly code: MsrpErrorCode;
  readonly status: number | undefined;
  readonly fatal: boolean;
  readonly frame: MsrpFrameContext | undefined;

  constructor(code: MsrpErrorCode, message: string, frame?: MsrpFrameContext) {
    super(message);
    const spec: ErrorSpec = MSRP_ERRORS[code];
    this.code = code;
    this.status = spec.status;
    this.fatal = spec.fatal;
    this.frame = frame;
  }
}
