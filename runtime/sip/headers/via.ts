/**
 * Via (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 5118 §4.5 bracketed received):
 *   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport; sent-by = host [ COLON port ]
 */
import { isIPv4, isIPv6 } from 'node:net';
import { DIGIT, HEX, TOKEN, is } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { hostKind } from '../ip.ts';
import { parsedOnce, type SipHeader } from '../message.ts';
import { formatParams, getParam, readGenValue, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';

export interface Via {
  /** Upper-case, e.g. "SIP". */
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** Upper-case: UDP, TCP, TLS, SCTP or an extension (RFC 4475 §3.1.1.10). */
  readonly transport: string;
  /** As written; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | null;
  readonly params: readonly Param[];
}

const CODE = 'CPM_ERR_SIP_BAD_VIA';

export function parseVia(value: string): Parsed<Via> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    const via = readVia(scanner);
    scanner.end();
    return via;
  });
}

/** One Via header line: via-parm *(COMMA via-parm). */
export function parseViaList(value: string): Parsed<Via[]> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    const list = [readVia(scanner)];
    while (scanner.eatSeparator(0x2c)) list.push(readVia(scanner));
    scanner.end();
    return list;
  });
}

/** `parseViaList` of one Via header line, parsed once and shared (see `parsedOnce`). */
export const parseViaHeader: (header: SipHeader) => Parsed<readonly Via[]> = parsedOnce(parseViaList);

function readVia(scanner: Scanner): Via {
  scanner.skipSpace();
  const protocolName = scanner.token('protocol-name').toUpperCase();
  if (!scanner.eatSeparator(0x2f)) scanner.fail('expected "/"');
  const protocolVersion = scanner.token('protocol-version');
  if (!scanner.eatSeparator(0x2f)) scanner.fail('expected "/"');
  const transport = scanner.token('transport').toUpperCase();
  if (!scanner.skipSpace()) scanner.fail('expected LWS before sent-by');
  const host = readHost(scanner);
  let port: number | null = null;
  if (scanner.eatSeparator(0x3a)) {
    const digits = scanner.take(DIGIT, 'port');
    port = Number(digits);
    if (digits.length > 5 || port > 65535) scanner.fail('bad port');
  }
  const params = readParams(scanner, readViaParamValue);
  checkParams(scanner, params);
  return { protocolName, protocolVersion, transport, host, port, params };
}

// via-received = "received" EQUAL (IPv4address / IPv6address): an IPv6 address is not a gen-value
// token (it has colons), so it is read by its own characters.
function readViaParamValue(scanner: Scanner, name: string): string {
  if (name.toLowerCase() !== 'received' || scanner.peek() === 0x5b) return readGenValue(scanner);
  const start = scanner.pos;
  while (is(scanner.peek(), HEX) || scanner.peek() === 0x3a || scanner.peek() === 0x2e) scanner.pos++;
  if (scanner.pos === start) scanner.fail('expected received address');
  return scanner.text.slice(start, scanner.pos);
}

function readHost(scanner: Scanner): string {
  const start = scanner.pos;
  if (scanner.eat(0x5b)) {
    while (is(scanner.peek(), HEX) || scanner.peek() === 0x3a || scanner.peek() === 0x2e) scanner.pos++;
    scanner.expect(0x5d, '"]"');
  } else {
    while (is(scanner.peek(), TOKEN)) scanner.pos++;
  }
  const host = scanner.text.slice(start, scanner.pos);
  if (hostKind(host) === undefined) scanner.fail(`bad sent-by host "${host}"`);
  return host;
}

// via-ttl = "ttl" EQUAL 1*3DIGIT (0-255); via-maddr = "maddr" EQUAL host;
// via-received = "received" EQUAL (IPv4address / IPv6address); via-branch = "branch" EQUAL token;
// RFC 3581 §3: response-port = "rport" [EQUAL 1*DIGIT].
function checkParams(scanner: Scanner, params: readonly Param[]): void {
  for (const { name, value } of params) {
    const key = name.toLowerCase();
    if (key === 'ttl' && (value === null || !/^\d{1,3}$/.test(value) || Number(value) > 255)) scanner.fail('bad ttl');
    if (key === 'maddr' && (value === null || hostKind(value) === undefined)) scanner.fail('bad maddr');
    if (key === 'received' && (value === null || !isIpAddress(value))) scanner.fail('bad received');
    if (key === 'branch' && (value === null || value.startsWith('"'))) scanner.fail('bad branch');
    if (key === 'rport' && value !== null && (!/^\d{1,5}$/.test(value) || Number(value) > 65535)) scanner.fail('bad rport');
  }
}

function isIpAddress(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return isIPv4(bare) || isIPv6(bare);
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}

export function viaBranch(via: Via): string | undefined {
  return getParam(via.params, 'branch') ?? undefined;
}

/** The received address without brackets (RFC 5118 §4.5 lets an IPv6 one have them), or undefined. */
export function viaReceived(via: Via): string | undefined {
  const received = getParam(via.params, 'received');
  if (received === undefined || received === null) return undefined;
  return received.startsWith('[') ? received.slice(1, -1) : received;
}

/** RFC 3581: the rport port, null for a bare `rport` (a request for one), undefined when absent. */
export function viaRport(via: Via): number | null | undefined {
  const rport = getParam(via.params, 'rport');
  return rport === undefined ? undefined : rport === null ? null : Number(rport);
}
