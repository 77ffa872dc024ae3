/**
 * Warning (RFC 3261 §20.43): warning-value *(COMMA warning-value),
 * warning-value = warn-code SP warn-agent SP warn-text; warn-code = 3DIGIT;
 * warn-agent = hostport / pseudonym; warn-text = quoted-string.
 */
import { DIGIT, HTAB, SP } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { Scanner, quote, unquote } from '../scanner.ts';

export interface Warning {
  readonly code: number;
  readonly agent: string;
  /** The meant text (quoted-pairs resolved). */
  readonly text: string;
}

export function parseWarning(value: string): Parsed<Warning[]> {
  return attempt(() => {
    const scanner = new Scanner(value, 'CPM_ERR_SIP_BAD_HEADER_VALUE');
    const list = [readWarning(scanner)];
    while (scanner.eatSeparator(0x2c)) list.push(readWarning(scanner));
    scanner.end();
    return list;
  });
}

function readWarning(scanner: Scanner): Warning {
  scanner.skipSpace();
  const digits = scanner.take(DIGIT, 'warn-code');
  // A warn-code has exactly three digits (RFC 4475 §3.1.2.5 "1812" is refused).
  if (digits.length !== 3) scanner.fail(`warn-code "${digits}" is not 3 digits`);
  if (!scanner.eat(SP)) scanner.fail('expected SP');
  const agent = scanner.until((c) => c === SP || c === HTAB);
  if (agent.length === 0) scanner.fail('expected warn-agent');
  if (!scanner.eat(SP)) scanner.fail('expected SP');
  return { code: Number(digits), agent, text: unquote(scanner.quotedString()) };
}

export function formatWarning(values: readonly Warning[]): string {
  return values.map((w) => `${String(w.code).padStart(3, '0')} ${w.agent} ${quote(w.text)}`).join(', ');
}
