import { describe, expect, it } from 'vitest';
import { detached } from '../../runtime/detached-string.ts';

describe('detached', () => {
  it('copies a substring to a string equal to it, whatever its characters', () => {
    const text = 'a=path:msrp://[2001:db8::1]:2855/s"é\\😀\ud800;tcp\r\n';
    for (let start = 0; start < text.length; start++) {
      const field = text.slice(start);
      expect(detached(field)).toBe(field);
    }
  });
});
