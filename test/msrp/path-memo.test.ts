/**
 * The per-connection memo of To-Path and From-Path values: the same answers as `parsePath`, shared
 * and frozen, within a bounded size.
 */
import { describe, expect, it } from 'vitest';
import { parsePath } from '../../runtime/msrp/headers.ts';
import { PathMemo } from '../../runtime/msrp/path-memo.ts';

const PATH = 'msrp://relay.example.net:2855/a1b2;tcp msrp://bob.example.com:8888/9di4eae923wzd;tcp;foo=bar';

describe('PathMemo', () => {
  it('reads a path as parsePath does, and the same text again to the same frozen URIs', () => {
    const memo = new PathMemo();
    const first = memo.parse(PATH);
    expect(first).toEqual(parsePath(PATH));
    expect(memo.parse(PATH)).toBe(first);
    if (!first.ok) throw new Error(first.reason);
    expect(Object.isFrozen(first.value)).toBe(true);
    expect(first.value.every((uri) => Object.isFrozen(uri) && Object.isFrozen(uri.params) && uri.params.every(Object.isFrozen))).toBe(true);
  });

  it('refuses what parsePath refuses, every time (RFC 4975 §9: ";" transport is mandatory)', () => {
    const memo = new PathMemo();
    const bad = 'msrp://bob.example.com:8888/abc';
    expect(memo.parse(bad)).toEqual(parsePath(bad));
    expect(memo.parse(bad).ok).toBe(false);
  });

  it('keeps a bounded number of characters: old entries are parsed afresh once newer ones pushed them out', () => {
    const memo = new PathMemo();
    const paths = Array.from({ length: 200 }, (_, i) => `msrp://host${i}.example.com:2855/session${i};tcp`);
    const first = memo.parse(paths[0]!);
    for (const path of paths.slice(1)) memo.parse(path);
    const again = memo.parse(paths[0]!);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it('does not keep a path longer than its whole budget, but still reads it', () => {
    const memo = new PathMemo();
    const long = Array.from({ length: 60 }, (_, i) => `msrp://relay${i}.example.net:2855/hop${i};tcp`).join(' ');
    const once = memo.parse(long);
    expect(once.ok).toBe(true);
    expect(memo.parse(long)).not.toBe(once);
    expect(memo.parse(long)).toEqual(once);
  });
});
