/**
 * What the machines need of the originator's initial INVITE (`InviteSummary`), read from the wire:
 * the group in the Request-URI, the authenticated identity (open question 3), User-Agent (INV-4),
 * privacy (INV-5), RFC 4028 headers (INV-6) and the MSRP offer.
 */
import type { InviteSummary, MsrpMedia } from '../machines/types.ts';
import { parseNameAddr } from './sip/headers/name-addr.ts';
import { parsePrivacy, parseTokenList } from './sip/headers/option-tags.ts';
import { parseMinSE, parseSessionExpires } from './sip/headers/session-expires.ts';
import { getHeader, getHeaderValues, getHeaders, type SipRequest } from './sip/message.ts';
import type { MessageSource } from './sip/transport-types.ts';
import { formatUri, type Uri } from './sip/uri.ts';

/** RFC 3323 §4.2 / RFC 3325 §9.3: the privacy values that ask to hide who the originator is. */
const IDENTITY_PRIVACY = new Set(['id', 'user', 'header']);

/**
 * A URI's address without parameters or headers (`sip:user@host[:port]`, `tel:+number`): the form in
 * which a group is looked up in the XDMS and an originator is matched against its rules.
 */
export function addressOf(uri: Uri): string {
  if (uri.kind === 'sip') return formatUri({ ...uri, password: null, params: [], headers: [] });
  if (uri.kind === 'tel') return `tel:${uri.number}`;
  return formatUri(uri);
}

/**
 * @param trustedSource whether the hop the INVITE came from is in the Trust Domain (RFC 3325 §2.3).
 * @example summariseInvite(invite, source, (address) => trusted.has(address), parsedOffer)
 */
export function summariseInvite(request: SipRequest, source: MessageSource, trustedSource: (address: string) => boolean, offer: MsrpMedia | null): InviteSummary {
  const sessionExpires = optional(getHeader(request, 'session-expires'), parseSessionExpires);
  const minSe = optional(getHeader(request, 'min-se'), parseMinSE);
  const privacy = getHeaders(request, 'privacy').flatMap((line) => optional(line, parsePrivacy) ?? []);
  return {
    groupUri: addressOf(request.uri),
    authenticatedOriginator: trustedSource(source.address) ? assertedIdentity(request) : null,
    userAgent: getHeader(request, 'user-agent') ?? null,
    anonymityRequested: privacy.some((value) => IDENTITY_PRIVACY.has(value)),
    sessionExpires: sessionExpires === undefined ? null : { interval: sessionExpires.deltaSeconds, refresher: sessionExpires.refresher },
    minSe: minSe?.deltaSeconds ?? null,
    supportsTimer: optionTags(request, 'supported').has('timer') || optionTags(request, 'require').has('timer'),
    offer,
  };
}

/** The option tags of every `name` header, lower-cased (RFC 3261 §19.2: compared case-insensitively). */
export function optionTags(request: SipRequest, name: 'supported' | 'require' | 'proxy-require'): Set<string> {
  const tags = new Set<string>();
  for (const line of getHeaders(request, name)) {
    for (const tag of optional(line, parseTokenList) ?? []) tags.add(tag.toLowerCase());
  }
  return tags;
}

/**
 * Open question 3 / RFC 3325 §9.1: the P-Asserted-Identity of a trusted hop; with a SIP and a tel
 * URI, the SIP one.
 */
function assertedIdentity(request: SipRequest): string | null {
  const identities = getHeaderValues(request, 'p-asserted-identity').flatMap((value) => {
    const parsed = parseNameAddr(value);
    return parsed.ok ? [parsed.value.uri] : [];
  });
  const chosen = identities.find((uri) => uri.kind === 'sip') ?? identities.find((uri) => uri.kind === 'tel');
  return chosen === undefined ? null : addressOf(chosen);
}

function optional<T>(value: string | undefined, parse: (value: string) => { ok: true; value: T } | { ok: false }): T | undefined {
  if (value === undefined) return undefined;
  const parsed = parse(value);
  return parsed.ok ? parsed.value : undefined;
}
