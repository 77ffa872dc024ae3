import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupDocumentPath, groupUriFromPath } from '../../runtime/xdm/xcap-path.ts';

describe('groupDocumentPath (RFC 4825 §6 document selector)', () => {
  it('puts the group URI, percent-encoded, as the last segment under global/byGroupID', () => {
    expect(groupDocumentPath('sip:friends@cpm.example.net')).toBe(
      'org.openmobilealliance.groups/global/byGroupID/sip%3Afriends%40cpm.example.net',
    );
  });

  it('keeps any group URI a single segment that reads back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (uri) => {
        const path = groupDocumentPath(uri);
        expect(path.split('/')).toHaveLength(4);
        expect(groupUriFromPath(path)).toBe(uri);
      }),
    );
  });
});

describe('groupUriFromPath', () => {
  it.each([
    ['another AUID', 'org.openmobilealliance.pres-rules/global/byGroupID/sip%3Ag%40x'],
    ['another tree', 'org.openmobilealliance.groups/users/sip%3Ag%40x/index'],
    ['a node selector', 'org.openmobilealliance.groups/global/byGroupID/sip%3Ag%40x/~~/group/list-service'],
    ['a trailing slash', 'org.openmobilealliance.groups/global/byGroupID/sip%3Ag%40x/'],
    ['no document', 'org.openmobilealliance.groups/global/byGroupID/'],
    ['broken percent-encoding', 'org.openmobilealliance.groups/global/byGroupID/sip%3'],
    ['the root', ''],
  ])('names no group document for %s', (_name, path) => {
    expect(groupUriFromPath(path)).toBeUndefined();
  });
});
