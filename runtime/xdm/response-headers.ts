/**
 * What an XDMS response's headers tell the XCAP client: how long a document stays fresh, and when
 * to try again after a failure.
 */

/** How a response may be stored, per its `Cache-Control` (RFC 9111 §5.2.2). */
export type Storability = { store: false } | { store: true; maxAgeSeconds: number };

/**
 * RFC 9111 §5.2.2: `no-store` forbids keeping the response; `no-cache` keeps it but demands
 * revalidation on every use (freshness 0); `max-age=N` makes it fresh for N seconds.
 *
 * Note: without `max-age` the freshness is 0 rather than RFC 9111 §4.2.2's heuristic, because a
 * stale member list or ruleset would deliver to, or authorize, the wrong people. `Age` is not
 * subtracted: the CF talks to the XDMS directly, with no shared cache in between.
 */
export function storability(cacheControl: string | null): Storability {
  let maxAgeSeconds = 0;
  for (const directive of (cacheControl ?? '').split(',')) {
    const [rawName = '', rawValue] = directive.split('=', 2);
    const name = rawName.trim().toLowerCase();
    if (name === 'no-store') return { store: false };
    if (name === 'no-cache') return { store: true, maxAgeSeconds: 0 };
    const value = rawValue?.trim().replace(/^"(.*)"$/, '$1');
    // RFC 9111 §1.2.2: delta-seconds is 1*DIGIT; anything else is ignored as invalid.
    if (name === 'max-age' && value !== undefined && /^\d+$/.test(value)) maxAgeSeconds = Number(value);
  }
  return { store: true, maxAgeSeconds };
}

/**
 * Whole seconds to wait, from an HTTP `Retry-After` (RFC 9110 §10.2.3: delta-seconds or an
 * HTTP-date), ready for a SIP `Retry-After` (RFC 3261 §20.33, delta-seconds only). `undefined`
 * when the header is absent or unreadable.
 */
export function retryAfterSeconds(header: string | null, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
