/**
 * INV-9 with open question 14: the members to invite, from the group document.
 */
import { canonicalAddress, type GroupDocument, type GroupMember } from './group.ts';

/**
 * The group's members in document order, each address once (the first entry wins, RFC 4826 lists
 * may repeat an entry through nested lists), without the originator: the originator is the sender
 * of the message and would otherwise be invited to receive its own message.
 */
export function membersToInvite(group: GroupDocument, originator: string | null): GroupMember[] {
  const seen = new Set<string>();
  if (originator !== null) seen.add(canonicalAddress(originator));
  const result: GroupMember[] = [];
  for (const member of group.members) {
    const key = canonicalAddress(member.uri);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(member);
  }
  return result;
}
