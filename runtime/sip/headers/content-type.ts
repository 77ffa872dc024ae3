/**
 * Content-Type (RFC 3261 §20.15): media-type = m-type SLASH m-subtype *(SEMI m-parameter),
 * m-parameter = m-attribute EQUAL m-value, m-value = token / quoted-string. Type, subtype and
 * attribute names are case-insensitive and come back lower-case.
 */
import { attempt, type Parsed } from '../errors.ts';
import { formatParams, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';

export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly Param[];
}

export function parseContentType(value: string): Parsed<MediaType> {
  return attempt(() => {
    const scanner = new Scanner(value, 'CPM_ERR_SIP_BAD_HEADER_VALUE');
    scanner.skipSpace();
    const type = scanner.token('m-type').toLowerCase();
    if (!scanner.eatSeparator(0x2f)) scanner.fail('expected "/"');
    const subtype = scanner.token('m-subtype').toLowerCase();
    const params = readParams(scanner).map((p) => ({ name: p.name.toLowerCase(), value: p.value }));
    if (params.some((p) => p.value === null)) scanner.fail('m-parameter without value');
    scanner.end();
    return { type, subtype, params };
  });
}

export function formatContentType(value: MediaType): string {
  return `${value.type}/${value.subtype}${formatParams(value.params)}`;
}
