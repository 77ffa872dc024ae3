/**
 * Error-Info (RFC 3261 §20.18): error-uri *(COMMA error-uri),
 * error-uri = LAQUOT absoluteURI RAQUOT *( SEMI generic-param ).
 */
import { attempt, type Parsed } from '../errors.ts';
import { formatParams, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';
import { formatUri, readUri, type Uri } from '../uri.ts';

export interface ErrorInfo {
  readonly uri: Uri;
  readonly params: readonly Param[];
}

const CODE = 'CPM_ERR_SIP_BAD_HEADER_VALUE';

export function parseErrorInfo(value: string): Parsed<ErrorInfo[]> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    const list = [readErrorUri(scanner)];
    while (scanner.eatSeparator(0x2c)) list.push(readErrorUri(scanner));
    scanner.end();
    return list;
  });
}

function readErrorUri(scanner: Scanner): ErrorInfo {
  scanner.skipSpace();
  scanner.expect(0x3c, '"<"');
  const uri = readUri(scanner.until((c) => c === 0x3e), CODE);
  scanner.expect(0x3e, '">"');
  return { uri, params: readParams(scanner) };
}

export function formatErrorInfo(values: readonly ErrorInfo[]): string {
  return values.map((v) => `<${formatUri(v.uri)}>${formatParams(v.params)}`).join(', ');
}
