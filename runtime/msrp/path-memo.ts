/**
 * The To-Path and From-Path values lately read on one connection, with the URIs they parsed to.
 *
 * Every frame of a session carries both paths, and they repeat verbatim from frame to frame (a
 * sender writes its own URI and its peer's, RFC 4975 §7.1, and a response takes them from the
 * request, §7.2). Parsing them was most of the cost of reading a frame head, and the relay reads
 * one response per chunk per member; with the memo a path is parsed once per session and
 * connection, and every later frame only compares the text. The check is the same as without it:
 * only text that parsed is remembered, and the same text always parses the same way.
 *
 * The memo is per connection (no peer can evict another's entries) and small: at most
 * `MAX_MEMO_CHARS` characters of path text, oldest entry out first. A connection shared by many
 * sessions (RFC 4975 §5.4 lets them share) keeps a dozen sessions' paths; past that, paths are
 * simply parsed again.
 */
import type { ParseResult } from './errors.ts';
import { parsePath } from './headers.ts';
import type { MsrpUri } from './uri.ts';

/** Characters of path text one connection's memo may hold: a fraction of one frame head's limit. */
const MAX_MEMO_CHARS = 2048;

export class PathMemo {
  readonly #entries = new Map<string, ParseResult<readonly MsrpUri[]>>();
  #chars = 0;

  /** `parsePath(value)`, remembered; the URIs are frozen, as later frames share them. */
  parse(value: string): ParseResult<readonly MsrpUri[]> {
    const known = this.#entries.get(value);
    if (known !== undefined) return known;
    const parsed = parsePath(value);
    if (!parsed.ok || value.length > MAX_MEMO_CHARS) return parsed;
    for (const [oldest] of this.#entries) {
      if (this.#chars + value.length <= MAX_MEMO_CHARS) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
    const result = Object.freeze({ ok: true, value: Object.freeze(parsed.value.map(frozenUri)) } as const);
    this.#entries.set(value, result);
    this.#chars += value.length;
    return result;
  }
}

function frozenUri(uri: MsrpUri): MsrpUri {
  return Object.freeze({ ...uri, params: Object.freeze(uri.params.map((param) => Object.freeze({ ...param }))) });
}
