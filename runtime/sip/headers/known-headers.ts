/**
 * A strict check of every header this layer has a grammar for, for callers that want a message
 * refused up front rather than when a header is first read (e.g. a registrar before using Contact,
 * or the RFC 4475 suite). Unknown headers are not checked: their syntax is not known (§7.3.1).
 */
import { SipParseError, type Parsed } from '../errors.ts';
import type { SipHeader, SipMessage } from '../message.ts';
import { parseAcceptContact } from './accept-contact.ts';
import { parseContentType } from './content-type.ts';
import { parseCSeqHeader } from './cseq.ts';
import { parseErrorInfo } from './error-info.ts';
import { parseContact, parseNameAddr, parseNameAddrHeader, parseNameAddrList } from './name-addr.ts';
import { parsePrivacy, parseTokenList } from './option-tags.ts';
import { parseProduct } from './product.ts';
import { parseRetryAfter } from './retry-after.ts';
import { parseCallId, parseContentLength, parseCpmId, parseMaxForwards } from './scalars.ts';
import { parseMinSE, parseSessionExpires } from './session-expires.ts';
import { parseViaHeader } from './via.ts';
import { parseWarning } from './warning.ts';

// The parser has read these already, and the transaction layer and dialogs read them again: they
// go through the per-header memo (`parsedOnce`) rather than being parsed once more here.
const PARSED_ONCE: ReadonlyMap<string, (header: SipHeader) => Parsed<unknown>> = new Map<string, (header: SipHeader) => Parsed<unknown>>([
  ['via', parseViaHeader],
  ['from', parseNameAddrHeader],
  ['to', parseNameAddrHeader],
  ['cseq', parseCSeqHeader],
]);

const GRAMMARS: ReadonlyMap<string, (value: string) => Parsed<unknown>> = new Map<string, (value: string) => Parsed<unknown>>([
  ['referred-by', parseNameAddr],
  ['refer-to', parseNameAddr],
  ['contact', parseContact],
  ['route', parseNameAddrList],
  ['record-route', parseNameAddrList],
  ['path', parseNameAddrList],
  ['service-route', parseNameAddrList],
  ['p-asserted-identity', parseNameAddrList],
  ['p-preferred-identity', parseNameAddrList],
  ['call-id', parseCallId],
  ['max-forwards', parseMaxForwards],
  ['content-length', parseContentLength],
  ['content-type', parseContentType],
  ['supported', parseTokenList],
  ['require', parseTokenList],
  ['proxy-require', parseTokenList],
  ['unsupported', parseTokenList],
  ['allow', parseTokenList],
  ['privacy', parsePrivacy],
  ['session-expires', parseSessionExpires],
  ['min-se', parseMinSE],
  ['accept-contact', parseAcceptContact],
  ['reject-contact', parseAcceptContact],
  ['warning', parseWarning],
  ['error-info', parseErrorInfo],
  ['user-agent', parseProduct],
  ['server', parseProduct],
  ['retry-after', parseRetryAfter],
  ['contribution-id', parseCpmId],
  ['conversation-id', parseCpmId],
]);

/** The first header of `message` that does not follow its grammar, or undefined. */
export function checkKnownHeaders(message: Pick<SipMessage, 'headers'>): SipParseError | undefined {
  for (const h of message.headers) {
    const parsed = parseKnown(h);
    if (parsed?.ok === false) return new SipParseError(parsed.error.code, `${h.name}: ${parsed.error.message}`);
  }
  return undefined;
}

/** What `h` parses to with its grammar, or undefined when it has none. */
function parseKnown(h: SipHeader): Parsed<unknown> | undefined {
  const once = PARSED_ONCE.get(h.key);
  return once === undefined ? GRAMMARS.get(h.key)?.(h.value) : once(h);
}
