/**
 * Media anchoring (open questions 4 and 5): the CF is the MSRP endpoint of every leg. Its URI for a
 * leg is the session's unguessable session-id plus the leg's name, so one listener finds the session
 * and the leg from the To-Path alone.
 */
import type { FocusMedia, LegIndex, MsrpMedia } from './types.ts';

export type MediaLeg = 'originator' | LegIndex;

export function focusMsrpUri(focus: FocusMedia, leg: MediaLeg): string {
  const suffix = leg === 'originator' ? 'o' : `m${leg}`;
  return `${focus.authority}/${focus.sessionId}-${suffix};tcp`;
}

/**
 * RFC 6135 §4: the answerer picks the role; without `a=setup` RFC 4975 §8.1 makes the offerer the
 * active side. So the CF connects towards the originator only when the originator asked to be passive.
 */
export function answerSetup(offer: MsrpMedia): 'active' | 'passive' {
  return offer.setup === 'passive' ? 'active' : 'passive';
}

/**
 * OK-2 read with open question 4: the member's answer (accept-types, max-size, other attributes such
 * as file-selector) given to the originator, but with the CF's own a=path so that the originator's
 * SENDs reach the CF, which relays them (SEND-1).
 */
export function anchoredAnswer(memberAnswer: MsrpMedia, originatorOffer: MsrpMedia, focus: FocusMedia): MsrpMedia {
  return {
    ...memberAnswer,
    path: [focusMsrpUri(focus, 'originator')],
    setup: answerSetup(originatorOffer),
  };
}

/**
 * The CF's offer towards a member: the originator's media (accept-types, max-size, file attributes)
 * with the CF's own path for that leg. `actpass` lets an RFC 6135 member choose; a member that
 * ignores it answers without `a=setup` and the CF, as offerer, connects (RFC 4975 §8.1).
 */
export function memberOffer(originatorOffer: MsrpMedia, focus: FocusMedia, leg: LegIndex): MsrpMedia {
  return { ...originatorOffer, path: [focusMsrpUri(focus, leg)], setup: 'actpass' };
}

/** Who opens the member's MSRP connection, from its answer (RFC 6135 §4, RFC 4975 §8.1). */
export function memberConnects(memberAnswer: MsrpMedia): boolean {
  return memberAnswer.setup === 'active';
}

/** An answer the CF can relay to: it has an MSRP path to reach the member on. */
export function answerIsUsable(answer: MsrpMedia | null): answer is MsrpMedia {
  return answer !== null && answer.path.length > 0 && answer.path.every((uri) => /^msrps?:\/\//i.test(uri));
}
