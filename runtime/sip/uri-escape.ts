/**
 * The `escaped = "%" HEXDIG HEXDIG` mechanism of RFC 3261 §19.1.2 / §25.1: which characters a URI
 * component may carry as-is, and the conversions between the written and the meant form.
 */
import { HEX, PARAM_UNRESERVED, PASSWORD_EXTRA, UNRESERVED, USER_UNRESERVED, HNV_UNRESERVED, is } from './charsets.ts';

/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER_CHARS = UNRESERVED | USER_UNRESERVED;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD_CHARS = UNRESERVED | PASSWORD_EXTRA;
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM_CHARS = UNRESERVED | PARAM_UNRESERVED;
/** hname / hvalue = *( hnv-unreserved / unreserved / escaped ) */
export const HEADER_CHARS = UNRESERVED | HNV_UNRESERVED;

/**
 * Whether `text[start, end)` consists of characters of `flags` and well-formed escapes only;
 * a "%" not followed by two HEXDIGs is not an escape and not allowed.
 */
export function isEscapedText(text: string, start: number, end: number, flags: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= end || !is(text.charCodeAt(i + 1), HEX) || !is(text.charCodeAt(i + 2), HEX)) return false;
      i += 2;
    } else if (!is(c, flags)) {
      return false;
    }
  }
  return true;
}

/**
 * The octets `text` means, one UTF-16 unit per octet (a "binary string"), so that "%00" and
 * invalid UTF-8 stay comparable. Used by URI comparison (§19.1.4).
 */
export function unescapeOctets(text: string): string {
  if (!text.includes('%')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%' && i + 2 < text.length && is(text.charCodeAt(i + 1), HEX) && is(text.charCodeAt(i + 2), HEX)) {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

/** The text `written` means, escapes decoded as UTF-8 (e.g. "I%20have%20spaces" is "I have spaces"). */
export function unescape(written: string): string {
  const octets = unescapeOctets(written);
  return octets === written ? written : Buffer.from(octets, 'latin1').toString('utf8');
}

/** `text` written with every character outside `flags` escaped (UTF-8 octets, upper-case hex). */
export function escape(text: string, flags: number): string {
  let out = '';
  for (const octet of Buffer.from(text, 'utf8')) {
    out += is(octet, flags) ? String.fromCharCode(octet) : `%${octet.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
