import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, storability } from '../../runtime/xdm/response-headers.ts';

describe('storability (RFC 9111 §5.2.2)', () => {
  it.each([
    [null, { store: true, maxAgeSeconds: 0 }],
    ['max-age=60', { store: true, maxAgeSeconds: 60 }],
    ['private, Max-Age="30"', { store: true, maxAgeSeconds: 30 }],
    ['max-age=-5', { store: true, maxAgeSeconds: 0 }],
    ['max-age=60, no-cache', { store: true, maxAgeSeconds: 0 }],
    ['max-age=60, no-store', { store: false }],
  ])('reads %j', (header, expected) => {
    expect(storability(header)).toStrictEqual(expected);
  });
});

describe('retryAfterSeconds (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterSeconds(' 120 ', now)).toBe(120);
  });

  it('turns an HTTP-date into seconds from now, never negative', () => {
    expect(retryAfterSeconds('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('gives undefined for an absent or unreadable header', () => {
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});
