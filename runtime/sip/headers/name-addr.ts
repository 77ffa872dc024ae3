/**
 * name-addr / addr-spec headers (RFC 3261 §20.10 Contact, §20.20 From, §20.39 To, §20.30 Record-Route,
 * §20.34 Route; RFC 3325 §9.1 P-Asserted-Identity; RFC 3892 Referred-By; RFC 3840 feature tags):
 *   ( name-addr / addr-spec ) *( SEMI generic-param ), name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 */
import { HTAB, SP, TOKEN, is } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { parsedOnce, type SipHeader } from '../message.ts';
import { formatParams, getParam, readParams, type Param } from '../params.ts';
import { Scanner, quote, unquote } from '../scanner.ts';
import { formatUri, readUri, type Uri } from '../uri.ts';

export interface NameAddr {
  /** The display name as meant (quoted-pairs resolved), or null when absent. */
  readonly displayName: string | null;
  readonly uri: Uri;
  /** Header parameters (tag, expires, q, isfocus, +g.3gpp.icsi-ref...), values as written. */
  readonly params: readonly Param[];
}

const CODE = 'CPM_ERR_SIP_BAD_NAME_ADDR';

/** One value: From, To, Referred-By, Refer-To, or one element of a list header. */
export function parseNameAddr(value: string): Parsed<NameAddr> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    const result = readNameAddr(scanner);
    scanner.end();
    return result;
  });
}

/** `parseNameAddr` of a From or To header, parsed once and shared (see `parsedOnce`). */
export const parseNameAddrHeader: (header: SipHeader) => Parsed<NameAddr> = parsedOnce(parseNameAddr);

/** A comma-separated list of them: Route, Record-Route, P-Asserted-Identity, Path... */
export function parseNameAddrList(value: string): Parsed<NameAddr[]> {
  return attempt(() => readList(new Scanner(value, CODE)));
}

/**
 * Contact = ( STAR / (contact-param *(COMMA contact-param)) ). A `*` (REGISTER only) comes back as
 * the string '*'. c-p-q and c-p-expires are checked: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
 */
export function parseContact(value: string): Parsed<'*' | NameAddr[]> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    scanner.skipSpace();
    if (scanner.eat(0x2a)) {
      scanner.end();
      return '*' as const;
    }
    const contacts = readList(scanner);
    for (const contact of contacts) checkContactParams(scanner, contact.params);
    return contacts;
  });
}

function readList(scanner: Scanner): NameAddr[] {
  const list = [readNameAddr(scanner)];
  while (scanner.eatSeparator(0x2c)) list.push(readNameAddr(scanner));
  scanner.end();
  return list;
}

function checkContactParams(scanner: Scanner, params: readonly Param[]): void {
  const q = getParam(params, 'q');
  if (q !== undefined && (q === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q))) scanner.fail(`bad q "${q}"`);
  const expires = getParam(params, 'expires');
  if (expires !== undefined && (expires === null || !/^\d+$/.test(expires))) scanner.fail(`bad expires "${expires}"`);
}

/** Reads one name-addr or addr-spec and its parameters from `scanner`. */
function readNameAddr(scanner: Scanner): NameAddr {
  scanner.skipSpace();
  let displayName: string | null = null;
  if (scanner.peek() === 0x22) {
    displayName = unquote(scanner.quotedString());
    scanner.skipSpace();
    return bracketed(scanner, displayName);
  }
  if (scanner.peek() === 0x3c) return bracketed(scanner, displayName);
  // display-name = *(token LWS): RFC 4475 §3.1.1.6 asks to accept it even without LWS before "<".
  const start = scanner.pos;
  let end = start;
  while (is(scanner.peek(), TOKEN)) {
    scanner.token();
    end = scanner.pos;
    scanner.skipSpace();
  }
  if (end > start && scanner.peek() === 0x3c) return bracketed(scanner, scanner.text.slice(start, end));
  scanner.pos = start;
  return addrSpec(scanner);
}

function bracketed(scanner: Scanner, displayName: string | null): NameAddr {
  scanner.expect(0x3c, '"<"');
  const uriText = scanner.until((c) => c === 0x3e);
  scanner.expect(0x3e, '">"');
  const uri = readUri(uriText, CODE);
  return { displayName, uri, params: readParams(scanner) };
}

// "If the URI is not enclosed in angle brackets, any semicolon-delimited parameters are
// header-parameters, not URI parameters" (§20.10), and a URI with a comma, question mark or
// semicolon must be bracketed: so the addr-spec ends at the first ";", "," or LWS, and a "?" in it
// means headers the sender forgot to bracket (RFC 4475 §3.1.2.13).
function addrSpec(scanner: Scanner): NameAddr {
  const uriText = scanner.until((c) => c === 0x3b || c === 0x2c || c === SP || c === HTAB);
  if (uriText.includes('?')) scanner.fail('URI with headers outside "<>"');
  const uri = readUri(uriText, CODE);
  return { displayName: null, uri, params: readParams(scanner) };
}

/** Always in name-addr form, so that URI parameters and header parameters cannot be confused. */
export function formatNameAddr(value: NameAddr): string {
  const name = value.displayName === null ? '' : `${quote(value.displayName)} `;
  return `${name}<${formatUri(value.uri)}>${formatParams(value.params)}`;
}

export function formatNameAddrList(values: readonly NameAddr[]): string {
  return values.map(formatNameAddr).join(', ');
}

/** The `tag` of a From or To (RFC 3261 §19.3), or undefined. */
export function nameAddrTag(value: NameAddr): string | undefined {
  return getParam(value.params, 'tag') ?? undefined;
}
