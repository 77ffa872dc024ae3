/**
 * RFC 4028 §4: Session-Expires = ("Session-Expires" / "x") HCOLON delta-seconds *(SEMI se-params),
 * se-params = refresher-param / generic-param, refresher-param = "refresher" EQUAL ("uas" / "uac");
 * Min-SE = "Min-SE" HCOLON delta-seconds *(SEMI generic-param).
 */
import { DIGIT } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { formatParams, getParam, readParams, type Param } from '../params.ts';
import { Scanner } from '../scanner.ts';
import { readInteger } from './scalars.ts';

export interface SessionExpires {
  readonly deltaSeconds: number;
  /** Who refreshes, when the `refresher` parameter says. */
  readonly refresher: 'uac' | 'uas' | null;
  /** Parameters other than `refresher`. */
  readonly params: readonly Param[];
}

export interface MinSE {
  readonly deltaSeconds: number;
  readonly params: readonly Param[];
}

const CODE = 'CPM_ERR_SIP_BAD_HEADER_VALUE';
/** delta-seconds: this layer holds them as 32-bit unsigned, like RFC 3261's other timers. */
const MAX_DELTA = 2 ** 32 - 1;

function readDelta(scanner: Scanner): { deltaSeconds: number; params: Param[] } {
  scanner.skipSpace();
  const deltaSeconds = readInteger(scanner.take(DIGIT, 'delta-seconds'), MAX_DELTA, CODE);
  const params = readParams(scanner);
  scanner.end();
  return { deltaSeconds, params };
}

export function parseSessionExpires(value: string): Parsed<SessionExpires> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    const { deltaSeconds, params } = readDelta(scanner);
    const refresher = getParam(params, 'refresher');
    const who = refresher?.toLowerCase();
    if (refresher !== undefined && who !== 'uac' && who !== 'uas') scanner.fail(`bad refresher "${refresher}"`);
    return {
      deltaSeconds,
      refresher: who === 'uac' || who === 'uas' ? who : null,
      params: params.filter((p) => p.name.toLowerCase() !== 'refresher'),
    };
  });
}

export function formatSessionExpires(value: SessionExpires): string {
  const refresher = value.refresher === null ? '' : `;refresher=${value.refresher}`;
  return `${value.deltaSeconds}${refresher}${formatParams(value.params)}`;
}

export function parseMinSE(value: string): Parsed<MinSE> {
  return attempt(() => readDelta(new Scanner(value, CODE)));
}

export function formatMinSE(value: MinSE): string {
  return `${value.deltaSeconds}${formatParams(value.params)}`;
}
