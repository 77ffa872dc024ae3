/**
 * The header lines of the last frame read on one connection, with what they parsed to.
 *
 * A sender repeats most header lines verbatim from frame to frame: every response of a member
 * carries the same To-Path and From-Path, every chunk of an originator the same paths, Message-ID
 * and Content-Type. The relay reads one response per chunk per member, and decoding and checking
 * each line (UTF-8, hname, utf8text, the paths) was most of the cost of reading one. Comparing the
 * line's bytes with the line at the same place in the frame before costs a fraction of that: a line
 * that matches takes that line's field, and a frame whose lines all match takes that frame's
 * headers whole. The check is the same as without the memo: only lines that parsed are remembered,
 * and the same lines always parse to the same headers. Frames share what the memo hands out, so it
 * is frozen.
 *
 * The memo holds one frame's header lines (the parser's head limit bounds them), as latin1 text,
 * one character per byte. It keeps nothing of a connection's first frame: a connection that only
 * binds its session (a held session with no message under way) costs no memory for it.
 */
import type { ParseResult } from './errors.ts';
import { parseHeaders, type HeaderField, type MsrpHeaders, type PathReader } from './headers.ts';

export interface ParsedHeaders {
  readonly headers: MsrpHeaders;
  readonly problem: string | undefined;
}

export class HeaderMemo {
  /** Whether a frame has ended already, so that this one's lines are worth keeping. */
  #remembering = false;
  /** The last frame's header lines (without CRLF) that parsed, by their place in the frame. */
  readonly #lines: (string | undefined)[] = [];
  readonly #fields: ParseResult<HeaderField>[] = [];
  /** The headers of the last frame whose headers were built, and its number of header lines. */
  #block: ParsedHeaders | undefined;
  #blockLines = 0;
  /** The current frame's header lines so far, and whether each matched the last frame's. */
  #count = 0;
  #allMatched = true;

  /**
   * The current frame's next header line, `buf[start, stop)`: the field of the line at the same
   * place in the frame before if the bytes are the same, else what `parse` makes of it.
   */
  line(buf: Buffer, start: number, stop: number, parse: (buf: Buffer, start: number, stop: number) => ParseResult<HeaderField>): ParseResult<HeaderField> {
    const index = this.#count++;
    const known = this.#lines[index];
    if (known !== undefined && sameBytes(known, buf, start, stop)) return this.#fields[index] as ParseResult<HeaderField>;
    this.#allMatched = false;
    const field = parse(buf, start, stop);
    if (!this.#remembering) return field;
    if (field.ok) {
      this.#lines[index] = buf.toString('latin1', start, stop);
      this.#fields[index] = Object.freeze({ ok: true, value: Object.freeze(field.value) });
    } else {
      this.#lines[index] = undefined;
    }
    return field;
  }

  /**
   * The current frame's headers, from the `fields` its lines parsed to: the last frame's when every
   * line matched it. Ends the frame.
   */
  headers(fields: readonly HeaderField[], readPath: PathReader): ParsedHeaders {
    let block = this.#block;
    if (!this.#allMatched || this.#count !== this.#blockLines || block === undefined) {
      block = parseHeaders(fields, readPath);
      if (this.#remembering) {
        block = frozen(block);
        this.#block = block;
        this.#blockLines = this.#count;
      }
    }
    this.#remembering = true;
    this.reset();
    return block;
  }

  /** The current frame is over (read, or dropped with its head unfinished). */
  reset(): void {
    this.#count = 0;
    this.#allMatched = true;
  }
}

function sameBytes(known: string, buf: Buffer, start: number, stop: number): boolean {
  if (known.length !== stop - start) return false;
  // A loop beats decoding the line or Buffer.compare's argument checks on lines this short.
  for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** Freezes what parseHeaders built; the URIs in the paths come frozen from the parser's `PathMemo`. */
function frozen(parsed: ParsedHeaders): ParsedHeaders {
  const { headers } = parsed;
  Object.freeze(headers.toPath);
  Object.freeze(headers.fromPath);
  Object.freeze(headers.extensions);
  Object.freeze(headers.mime);
  if (headers.byteRange !== undefined) Object.freeze(headers.byteRange);
  if (headers.status !== undefined) Object.freeze(headers.status);
  return Object.freeze({ headers: Object.freeze(headers), problem: parsed.problem });
}
