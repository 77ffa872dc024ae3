/**
 * Retry-After (RFC 3261 §20.33): delta-seconds [ comment ] *( SEMI retry-param ),
 * retry-param = ("duration" EQUAL delta-seconds) / generic-param. Values beyond 2**32-1 are
 * refused (RFC 4475 §3.1.2.5 calls 949302838503028349304023988 "unreasonably large").
 */
import { DIGIT } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { formatParams, getParam, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';
import { readInteger } from './scalars.ts';

export interface RetryAfter {
  readonly deltaSeconds: number;
  readonly comment: string | null;
  readonly params: readonly Param[];
}

const CODE = 'CPM_ERR_SIP_BAD_HEADER_VALUE';
const MAX_DELTA = 2 ** 32 - 1;

export function parseRetryAfter(value: string): Parsed<RetryAfter> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    scanner.skipSpace();
    const deltaSeconds = readInteger(scanner.take(DIGIT, 'delta-seconds'), MAX_DELTA, CODE);
    scanner.skipSpace();
    const comment = scanner.peek() === 0x28 ? scanner.comment() : null;
    const params = readParams(scanner);
    const duration = getParam(params, 'duration');
    if (duration !== undefined) readInteger(duration ?? '', MAX_DELTA, CODE);
    scanner.end();
    return { deltaSeconds, comment, params };
  });
}

export function formatRetryAfter(value: RetryAfter): string {
  const comment = value.comment === null ? '' : ` ${value.comment}`;
  return `${value.deltaSeconds}${comment}${formatParams(value.params)}`;
}
