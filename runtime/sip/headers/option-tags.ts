/**
 * Token lists: Supported / Require / Unsupported / Proxy-Require (RFC 3261 §20.37, §20.32, §20.40,
 * §20.29: option-tag = token), Allow (§20.5: Method = token), and Privacy (RFC 3323 §4.2:
 * priv-value *(";" priv-value), with "id" from RFC 3325 §9.3).
 */
import { attempt, type Parsed } from '../errors.ts';
import { Scanner } from '../scanner.ts';

const CODE = 'CPM_ERR_SIP_BAD_HEADER_VALUE';

/** A comma-separated list of tokens; an empty value is an empty list (Supported may be empty, §20.37). */
export function parseTokenList(value: string): Parsed<string[]> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    scanner.skipSpace();
    if (scanner.done) return [];
    const tokens = [scanner.token('option-tag')];
    while (scanner.eatSeparator(0x2c)) tokens.push(scanner.token('option-tag'));
    scanner.end();
    return tokens;
  });
}

export function formatTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}

/** RFC 3323 §4.2 priv-values, plus "id" (RFC 3325 §9.3); other tokens are extensions. */
export type PrivacyValue = 'header' | 'session' | 'user' | 'none' | 'critical' | 'id' | (string & {});

/** Privacy-hdr = "Privacy" HCOLON priv-value *(";" priv-value); values are case-insensitive tokens. */
export function parsePrivacy(value: string): Parsed<PrivacyValue[]> {
  return attempt(() => {
    const scanner = new Scanner(value, CODE);
    scanner.skipSpace();
    const values = [scanner.token('priv-value').toLowerCase()];
    while (scanner.eatSeparator(0x3b)) values.push(scanner.token('priv-value').toLowerCase());
    scanner.end();
    return values;
  });
}

export function formatPrivacy(values: readonly PrivacyValue[]): string {
  return values.join(';');
}
