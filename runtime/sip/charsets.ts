/**
 * Character classes of the RFC 3261 §25.1 grammar as one lookup table, so scanners test a class
 * with one array read and a mask instead of a regular expression per character.
 */

export const ALPHA = 1 << 0;
export const DIGIT = 1 << 1;
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = 1 << 2;
/** unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" */
export const UNRESERVED = 1 << 3;
/** user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const USER_UNRESERVED = 1 << 4;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD_EXTRA = 1 << 5;
/** param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const PARAM_UNRESERVED = 1 << 6;
/** hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const HNV_UNRESERVED = 1 << 7;
/** word = 1*(token chars / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") */
export const WORD = 1 << 8;
/** reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / "," */
export const RESERVED = 1 << 9;
export const HEX = 1 << 10;

const table = new Uint16Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= flag;
}

const lower = 'abcdefghijklmnopqrstuvwxyz';
const upper = lower.toUpperCase();
const digits = '0123456789';
const alphanum = lower + upper + digits;
mark(lower + upper, ALPHA);
mark(digits, DIGIT);
mark(digits + 'abcdefABCDEF', HEX);
mark(alphanum + "-.!%*_+`'~", TOKEN);
mark(alphanum + "-_.!~*'()", UNRESERVED);
mark('&=+$,;?/', USER_UNRESERVED);
mark('&=+$,', PASSWORD_EXTRA);
mark('[]/:&+$', PARAM_UNRESERVED);
mark('[]/?:+$', HNV_UNRESERVED);
mark(alphanum + "-.!%*_+`'~()<>:\\\"/[]?{}", WORD);
mark(';/?:@&=+$,', RESERVED);

/** Whether UTF-16 unit `code` is ASCII and in every class of `flags`' union. */
export function is(code: number, flags: number): boolean {
  return code < 128 && (table[code]! & flags) !== 0;
}

/** Whether every character of `text` (non-empty) is in one of the classes of `flags`. */
export function allIn(text: string, flags: number): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!is(text.charCodeAt(i), flags)) return false;
  }
  return true;
}

export function isToken(text: string): boolean {
  return allIn(text, TOKEN);
}

export const SP = 0x20;
export const HTAB = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
