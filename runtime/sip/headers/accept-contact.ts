/**
 * Caller preferences (RFC 3841 §10): Accept-Contact / Reject-Contact = ac-value *(COMMA ac-value),
 * ac-value = "*" *(SEMI ac-params), ac-params = feature-param / req-param / explicit-param /
 * generic-param, e.g. `*;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg";require;explicit`.
 */
import { attempt, type Parsed } from '../errors.ts';
import { formatParams, hasParam, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';

export interface ContactPreference {
  /** Feature parameters (values as written, quotes kept) and any others, in order. */
  readonly params: readonly Param[];
  /** req-param "require" and explicit-param "explicit" (RFC 3841 §9.2), which change how matching works. */
  readonly require: boolean;
  readonly explicit: boolean;
}

export function parseAcceptContact(value: string): Parsed<ContactPreference[]> {
  return attempt(() => {
    const scanner = new Scanner(value, 'CPM_ERR_SIP_BAD_HEADER_VALUE');
    const list = [readPreference(scanner)];
    while (scanner.eatSeparator(0x2c)) list.push(readPreference(scanner));
    scanner.end();
    return list;
  });
}

function readPreference(scanner: Scanner): ContactPreference {
  scanner.skipSpace();
  scanner.expect(0x2a, '"*"');
  const params = readParams(scanner);
  return { params, require: hasParam(params, 'require'), explicit: hasParam(params, 'explicit') };
}

export function formatAcceptContact(values: readonly ContactPreference[]): string {
  return values.map((v) => `*${formatParams(v.params)}`).join(', ');
}
