/**
 * Header field names: RFC 3261 §7.3.3 compact forms (plus the others IANA registered), the
 * canonical spelling the serializer writes, and which headers are comma-separated lists.
 */

/** The IANA "Header Fields" registry's compact forms. */
const COMPACT: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

const CANONICAL = new Map<string, string>(
  [
    'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
    'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
    'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'Contribution-ID',
    'Conversation-ID', 'CSeq', 'Date', 'Error-Info', 'Event', 'Expires', 'From', 'Identity', 'Identity-Info',
    'In-Reply-To', 'InReplyTo-Contribution-ID', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE',
    'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
    'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
    'Refer-To', 'Referred-By', 'Reject-Contact', 'Reply-To', 'Request-Disposition', 'Require',
    'Retry-After', 'Route', 'RSeq', 'Server', 'Service-Route', 'Session-Expires', 'Subject',
    'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning',
    'WWW-Authenticate',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Headers whose grammar is `value *(COMMA value)`, so several values may share one line
 * (RFC 3261 §7.3.1). Others (Authorization, WWW-Authenticate, Date...) hold commas of their own.
 */
const LISTS = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow', 'allow-events',
  'call-info', 'contact', 'content-encoding', 'content-language', 'error-info', 'in-reply-to',
  'p-asserted-identity', 'p-preferred-identity', 'path', 'proxy-require', 'reason', 'record-route',
  'reject-contact', 'request-disposition', 'require', 'route', 'service-route', 'supported', 'unsupported',
  'via', 'warning',
]);

/** The key a header is looked up by: its lower-case long name (names are case-insensitive, §7.3.1). */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return (lower.length === 1 ? COMPACT[lower] : undefined) ?? lower;
}

/** How the serializer spells a header: the registered spelling, else the name as given. */
export function canonicalName(key: string, name: string): string {
  return CANONICAL.get(key) ?? name;
}

export function isListHeader(key: string): boolean {
  return LISTS.has(key);
}
