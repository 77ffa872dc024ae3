/**
 * Single-valued headers with a simple grammar: Call-ID (RFC 3261 §20.8), Max-Forwards (§20.22),
 * Content-Length (§20.14), and OMA CPM's Contribution-ID / Conversation-ID (token values).
 */
import { DIGIT, WORD, allIn, isToken } from '../charsets.ts';
import { SipParseError, attempt, type Parsed, type SipErrorCode } from '../errors.ts';
import { trimLws } from '../message.ts';

/** callid = word [ "@" word ]; `%` is no escape here and `"<>` need no balance (RFC 4475 §3.1.1.2). */
export function parseCallId(value: string): Parsed<string> {
  return attempt(() => {
    const id = trimLws(value);
    const at = id.indexOf('@');
    const ok = at < 0 ? allIn(id, WORD) : allIn(id.slice(0, at), WORD) && allIn(id.slice(at + 1), WORD);
    if (!ok) throw new SipParseError('CPM_ERR_SIP_BAD_CALL_ID', `bad Call-ID "${value}"`);
    return id;
  });
}

/** Max-Forwards = 1*DIGIT, "an integer in the range 0-255" (§20.22). */
export function parseMaxForwards(value: string): Parsed<number> {
  return attempt(() => readInteger(value, 255, 'CPM_ERR_SIP_BAD_MAX_FORWARDS'));
}

/** Content-Length = 1*DIGIT, counted in octets (§20.14); "-999" and "five" are refused (RFC 4475 §3.1.2.3). */
export function parseContentLength(value: string): Parsed<number> {
  return attempt(() => readInteger(value, Number.MAX_SAFE_INTEGER, 'CPM_ERR_SIP_BAD_CONTENT_LENGTH'));
}

/** delta-seconds = 1*DIGIT, as a number no larger than `max`; used by several headers. */
export function readInteger(value: string, max: number, code: SipErrorCode): number {
  const digits = trimLws(value);
  // Length first, so that a thousand digits are refused without building a huge number.
  const significant = digits.replace(/^0+(?=\d)/, '');
  if (!allIn(digits, DIGIT) || significant.length > 16 || Number(significant) > max) {
    throw new SipParseError(code, `bad number "${value}" (expected 0-${max})`);
  }
  return Number(significant);
}

/** Contribution-ID / Conversation-ID (OMA CPM): a token identifying the conversation or contribution. */
export function parseCpmId(value: string): Parsed<string> {
  return attempt(() => {
    const id = trimLws(value);
    if (!isToken(id)) throw new SipParseError('CPM_ERR_SIP_BAD_HEADER_VALUE', `bad CPM identifier "${value}"`);
    return id;
  });
}
