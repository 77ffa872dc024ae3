/**
 * The two lines that delimit an MSRP frame, start-line and end-line (RFC 4975 §9), and the
 * shapes the parser hands out and the serializer takes.
 *
 *   req-start  = pMSRP SP transact-id SP method CRLF
 *   resp-start = pMSRP SP transact-id SP status-code [SP comment] CRLF
 *   end-line   = "-------" transact-id continuation-flag CRLF
 */
import { isIdent, isMethod, isUtf8Text } from './abnf.ts';
import type { ParseResult } from './errors.ts';
import { formatStatusCode } from './headers.ts';
import type { MsrpHeaders } from './headers.ts';

/**
 * RFC 4975 §7.1: "$" ends the message, "#" aborts it, "+" says more chunks follow.
 * RFC 4975 §9: continuation-flag = "+" / "$" / "#"
 */
export type ContinuationFlag = '$' | '+' | '#';

export interface MsrpRequestHead {
  readonly transactionId: string;
  readonly method: string;
  readonly headers: MsrpHeaders;
  /** Whether a body section (blank line, data, CRLF) sits between the headers and the end-line. */
  readonly hasBody: boolean;
}

export interface MsrpResponse {
  readonly transactionId: string;
  readonly status: number;
  readonly comment?: string;
  readonly headers: MsrpHeaders;
}

/** What the end-line of a request says, plus how many body bytes the chunk carried. */
export interface MsrpEnd {
  readonly transactionId: string;
  readonly flag: ContinuationFlag;
  readonly bodyBytes: number;
}

export type StartLine =
  | { readonly kind: 'request'; readonly transactionId: string; readonly method: string }
  | { readonly kind: 'response'; readonly transactionId: string; readonly status: number; readonly comment?: string };

/** The seven hyphens that open every end-line. */
export const END_LINE_HYPHENS = '-------';

// RFC 4975 §9: pMSRP = %x4D.53.52.50 ; "MSRP" in caps, unlike ABNF's usual case-insensitive strings.
const PMSRP_SP = 'MSRP ';
const STATUS_CODE = /^[0-9]{3}$/;

/**
 * Reads a start-line (without CRLF): "MSRP", the transaction-id up to the next space, the method or
 * status up to the space after it, and after that space a comment (which may hold spaces). Split
 * by hand, not by a regular expression, as the relay reads one per chunk per member.
 */
export function parseStartLine(line: string): ParseResult<StartLine> {
  const idEnd = line.startsWith(PMSRP_SP) ? line.indexOf(' ', PMSRP_SP.length) : -1;
  if (idEnd === -1) return { ok: false, reason: `start-line "${line}" is not "MSRP" SP transact-id SP method-or-status` };
  const transactionId = line.slice(PMSRP_SP.length, idEnd);
  const wordEnd = line.indexOf(' ', idEnd + 1);
  const word = wordEnd === -1 ? line.slice(idEnd + 1) : line.slice(idEnd + 1, wordEnd);
  const comment = wordEnd === -1 ? undefined : line.slice(wordEnd + 1);
  if (!isIdent(transactionId)) {
    return { ok: false, reason: `transaction-id "${transactionId}" is not an ident (4 to 32 of A-Z a-z 0-9 . - + % =)` };
  }
  if (STATUS_CODE.test(word)) {
    if (comment !== undefined && !isUtf8Text(comment)) {
      return { ok: false, reason: `the comment of status ${word} has control characters` };
    }
    const status = Number(word);
    return { ok: true, value: comment === undefined ? { kind: 'response', transactionId, status } : { kind: 'response', transactionId, status, comment } };
  }
  // RFC 4975 §9: req-start ends right after the method; only a response has a comment.
  if (isMethod(word) && comment === undefined) return { ok: true, value: { kind: 'request', transactionId, method: word } };
  return { ok: false, reason: `start-line "${line}" has neither a method (1*UPALPHA) nor a status-code (3DIGIT)` };
}

export function formatStartLine(start: StartLine): string {
  if (start.kind === 'request') return `MSRP ${start.transactionId} ${start.method}\r\n`;
  const code = formatStatusCode(start.status);
  return start.comment === undefined
    ? `MSRP ${start.transactionId} ${code}\r\n`
    : `MSRP ${start.transactionId} ${code} ${start.comment}\r\n`;
}

/** The end-line text without the CRLF that precedes it after a body or the one that ends it. */
export function endLineText(transactionId: string, flag: ContinuationFlag): string {
  return `${END_LINE_HYPHENS}${transactionId}${flag}`;
}

export function isContinuationFlag(char: string): char is ContinuationFlag {
  return char === '$' || char === '+' || char === '#';
}
