/**
 * Header parameters: *( SEMI generic-param ) after a Via, name-addr, media type, delta-seconds...
 * generic-param = token [ EQUAL gen-value ]; gen-value = token / host / quoted-string (RFC 3261 §25.1).
 * A value is kept as written (a quoted-string keeps its quotes) so that a feature tag such as
 * `+g.3gpp.icsi-ref="urn%3A..."` keeps the quoting that RFC 3840 §9 gives meaning to.
 */
import { DQUOTE, HEX, TOKEN, is } from './charsets.ts';
import type { Scanner } from './scanner.ts';

export interface Param {
  readonly name: string;
  /** As written (quoted-strings with their quotes); null for a parameter without `=`. */
  readonly value: string | null;
}

/**
 * Reads `*( SEMI generic-param )`, stopping before anything that is not a SEMI (e.g. a COMMA).
 * `readValue` lets a header read a value of its own grammar (Via's unbracketed IPv6 `received`).
 */
export function readParams(scanner: Scanner, readValue: (scanner: Scanner, name: string) => string = readGenValue): Param[] {
  const params: Param[] = [];
  while (scanner.eatSeparator(0x3b)) {
    const name = scanner.token('parameter name');
    const value = scanner.eatSeparator(0x3d) ? readValue(scanner, name) : null;
    params.push({ name, value });
  }
  return params;
}

/** gen-value = token / host / quoted-string; host adds the IPv6reference `[...]` to what token covers. */
export function readGenValue(scanner: Scanner): string {
  const c = scanner.peek();
  if (c === DQUOTE) return scanner.quotedString();
  if (c === 0x5b) {
    const start = scanner.pos;
    scanner.pos++;
    while (is(scanner.peek(), HEX) || scanner.peek() === 0x3a || scanner.peek() === 0x2e) scanner.pos++;
    scanner.expect(0x5d, 'closing ] of IPv6 reference');
    return scanner.text.slice(start, scanner.pos);
  }
  return scanner.take(TOKEN, 'parameter value');
}

export function formatParams(params: readonly Param[]): string {
  let out = '';
  for (const { name, value } of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/**
 * The value of parameter `name` (names compare case-insensitively, RFC 3261 §7.3.1): the string as
 * written, null when present without a value, undefined when absent.
 */
export function getParam(params: readonly Param[], name: string): string | null | undefined {
  const wanted = name.toLowerCase();
  for (const param of params) {
    if (param.name.toLowerCase() === wanted) return param.value;
  }
  return undefined;
}

export function hasParam(params: readonly Param[], name: string): boolean {
  return getParam(params, name) !== undefined;
}

/** `params` with `name` set to `value` (replacing any earlier occurrence, else appended). */
export function setParam(params: readonly Param[], name: string, value: string | null): Param[] {
  const wanted = name.toLowerCase();
  const index = params.findIndex((p) => p.name.toLowerCase() === wanted);
  const next = [...params];
  if (index < 0) next.push({ name, value });
  else next[index] = { name: params[index]!.name, value };
  return next;
}
