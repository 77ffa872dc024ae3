/**
 * Where a group's document lives under an XCAP root, and back: the one document selector this CF
 * reads, `org.openmobilealliance.groups/global/byGroupID/<group URI>`.
 */
import { GROUPS_AUID } from './xdm-names.ts';

const GROUP_TREE = [GROUPS_AUID, 'global', 'byGroupID'] as const;

/**
 * The document selector of a group's Shared Group document, relative to the XCAP root.
 *
 * RFC 4825 §6: the document selector is a sequence of path segments, so the group URI must be a
 * single segment: every reserved character, `/` included, is percent-encoded.
 *
 * @example
 * groupDocumentPath('sip:friends@cpm.example.net')
 * // 'org.openmobilealliance.groups/global/byGroupID/sip%3Afriends%40cpm.example.net'
 */
export function groupDocumentPath(groupUri: string): string {
  return [...GROUP_TREE, encodeURIComponent(groupUri)].join('/');
}

/**
 * The group URI a request path (relative to the XCAP root, no leading `/`) addresses, or
 * `undefined` when it names no group document: another AUID or tree, a node selector (`~~`,
 * RFC 4825 §6.3, not served here), extra or empty segments, or broken percent-encoding.
 */
export function groupUriFromPath(path: string): string | undefined {
  const segments = path.split('/');
  if (segments.length !== GROUP_TREE.length + 1) return undefined;
  if (!GROUP_TREE.every((name, i) => segments[i] === name)) return undefined;
  const encoded = segments[GROUP_TREE.length] ?? '';
  try {
    const groupUri = decodeURIComponent(encoded);
    return groupUri === '' ? undefined : groupUri;
  } catch {
    return undefined;
  }
}
