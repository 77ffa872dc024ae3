import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, readPreconditions, strongEntityTag } from '../../runtime/xdm/conditional-request.ts';

const ETAG = '"abc"';

function outcome(ifMatch: string | undefined, ifNoneMatch: string | undefined, current: string | undefined, safe: boolean): string {
  const preconditions = readPreconditions(ifMatch, ifNoneMatch);
  if (preconditions === undefined) return 'bad-request';
  return evaluatePreconditions(preconditions, current, safe);
}

describe('readPreconditions (RFC 9110 §13.1.1: "*" / #entity-tag)', () => {
  it.each(['abc', '"abc', 'W/abc', '"a" junk', ',', ''])('refuses %j', (header) => {
    expect(readPreconditions(header, undefined)).toBeUndefined();
    expect(readPreconditions(undefined, header)).toBeUndefined();
  });

  it('reads lists with weak tags, commas inside tags and optional whitespace', () => {
    expect(readPreconditions('W/"x", "a,b" ,"c"', '*')).toStrictEqual({
      ifMatch: [
        { weak: true, opaque: '"x"' },
        { weak: false, opaque: '"a,b"' },
        { weak: false, opaque: '"c"' },
      ],
      ifNoneMatch: '*',
    });
  });
});

describe('evaluatePreconditions (RFC 9110 §13.2.2)', () => {
  it('proceeds without conditions', () => {
    expect(outcome(undefined, undefined, ETAG, false)).toBe('proceed');
  });

  it('If-Match: proceeds on a strong match or "*" with a current document, else fails', () => {
    expect(outcome('"x", "abc"', undefined, ETAG, false)).toBe('proceed');
    expect(outcome('*', undefined, ETAG, false)).toBe('proceed');
    expect(outcome('W/"abc"', undefined, ETAG, false)).toBe('precondition-failed');
    expect(outcome('"x"', undefined, ETAG, false)).toBe('precondition-failed');
    expect(outcome('*', undefined, undefined, false)).toBe('precondition-failed');
  });

  it('If-None-Match: a weak match or "*" with a current document is 304 for GET and 412 otherwise', () => {
    expect(outcome(undefined, 'W/"abc"', ETAG, true)).toBe('not-modified');
    expect(outcome(undefined, '*', ETAG, false)).toBe('precondition-failed');
    expect(outcome(undefined, '"abc"', ETAG, false)).toBe('precondition-failed');
    expect(outcome(undefined, '"x"', ETAG, true)).toBe('proceed');
    expect(outcome(undefined, '*', undefined, false)).toBe('proceed');
  });

  it('checks If-Match before If-None-Match', () => {
    expect(outcome('"x"', '"x"', ETAG, true)).toBe('precondition-failed');
  });
});

describe('strongEntityTag', () => {
  it('is a quoted tag equal exactly for equal bytes', () => {
    const a = strongEntityTag(Buffer.from('<a/>'));
    expect(a).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(strongEntityTag(Buffer.from('<a/>'))).toBe(a);
    expect(strongEntityTag(Buffer.from('<a />'))).not.toBe(a);
  });
});
