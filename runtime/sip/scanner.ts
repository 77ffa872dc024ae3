/**
 * A cursor over one (already unfolded) header value, with the lexical rules of RFC 3261 §25.1 that
 * every header grammar shares: SWS around separators, token, quoted-string, comment. A fault throws
 * `SipParseError` with the code the caller chose; `attempt` turns it into a `Parsed` failure.
 */
import { BACKSLASH, DQUOTE, HTAB, SP, TOKEN, is } from './charsets.ts';
import { SipParseError, type SipErrorCode } from './errors.ts';

export class Scanner {
  pos = 0;

  constructor(
    readonly text: string,
    readonly code: SipErrorCode,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  fail(what: string): never {
    throw new SipParseError(this.code, `${what} at offset ${this.pos} of "${this.text}"`);
  }

  /** SWS = [LWS]; folding was already replaced by SP (RFC 3261 §7.3.1). Returns whether any was skipped. */
  skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== SP && c !== HTAB) break;
      this.pos++;
    }
    return this.pos > start;
  }

  eat(code: number): boolean {
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }

  /** A separator with SWS on both sides: SEMI, COMMA, EQUAL, SLASH, COLON of §25.1. */
  eatSeparator(code: number): boolean {
    const start = this.pos;
    this.skipSpace();
    if (this.eat(code)) {
      this.skipSpace();
      return true;
    }
    this.pos = start;
    return false;
  }

  expect(code: number, what: string): void {
    if (!this.eat(code)) this.fail(`expected ${what}`);
  }

  /** One or more characters of the classes in `flags`. */
  take(flags: number, what: string): string {
    const start = this.pos;
    while (this.pos < this.text.length && is(this.text.charCodeAt(this.pos), flags)) this.pos++;
    if (this.pos === start) this.fail(`expected ${what}`);
    return this.text.slice(start, this.pos);
  }

  token(what = 'token'): string {
    return this.take(TOKEN, what);
  }

  /** Characters up to (not including) the first one `stop` accepts, or the end. */
  until(stop: (code: number) => boolean): string {
    const start = this.pos;
    while (this.pos < this.text.length && !stop(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /**
   * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, returned as written (with quotes).
   * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): CR and LF can never be escaped.
   */
  quotedString(): string {
    const start = this.pos;
    this.expect(DQUOTE, 'opening quote');
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos++);
      if (c === DQUOTE) return this.text.slice(start, this.pos);
      if (c === BACKSLASH) {
        const escaped = this.peek();
        if (escaped < 0 || escaped > 0x7f || escaped === 0x0a || escaped === 0x0d) this.fail('bad quoted-pair');
        this.pos++;
      } else if (c < 0x20 && c !== HTAB) {
        this.fail('control character in quoted-string');
      }
    }
    return this.fail('unterminated quoted-string');
  }

  /** comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, returned as written. */
  comment(): string {
    const start = this.pos;
    let depth = 0;
    do {
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x28) depth++;
      else if (c === 0x29) depth--;
      else if (c === BACKSLASH) this.pos++;
      else if (Number.isNaN(c)) this.fail('unterminated comment');
    } while (depth > 0);
    return this.text.slice(start, this.pos);
  }

  /** Fails unless only SWS is left. */
  end(): void {
    this.skipSpace();
    if (!this.done) this.fail('unexpected text');
  }
}

/** The content of a quoted-string written with its quotes, quoted-pairs resolved. */
export function unquote(quoted: string): string {
  if (!quoted.startsWith('"')) return quoted;
  let out = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    const c = quoted[i]!;
    out += c === '\\' ? quoted[++i]! : c;
  }
  return out;
}

/** A quoted-string holding `text` (RFC 3261 §25.1: `"` and `\` become quoted-pairs). */
export function quote(text: string): string {
  let out = '"';
  for (const c of text) out += c === '"' || c === '\\' ? `\\${c}` : c;
  return `${out}"`;
}
