/**
 * The data the machines reason about: the originator's INVITE as the runtime summarises it, the
 * CF's policy, and the MSRP media of an SDP offer or answer. All plain data: the runtime parses
 * the wire into these and formats effects back onto it.
 */

/** RFC 4028 §4: the interval and the party that refreshes. */
export interface SessionTimer {
  interval: number;
  refresher: 'uac' | 'uas';
}

/** The MSRP media line of an SDP body (RFC 4975 §8, RFC 6135 `a=setup`). */
export interface MsrpMedia {
  /** `a=path`: the MSRP URIs, the endpoint's own last. */
  path: string[];
  acceptTypes: string[];
  acceptWrappedTypes: string[];
  maxSize: number | null;
  /** RFC 6135; null when absent, which RFC 4975 reads as: the offerer connects. */
  setup: 'active' | 'passive' | 'actpass' | null;
  /** Any other media-level attributes (file-selector, file-transfer-id, sendonly...) kept verbatim. */
  otherAttributes: string[];
}

/** What the CF needs of the originator's initial INVITE (the runtime extracts it). */
export interface InviteSummary {
  /** The Request-URI: the CPM Group Identity. */
  groupUri: string;
  /**
   * The Authenticated Originator's CPM Address: P-Asserted-Identity received from a trusted hop
   * (RFC 3325 §9.1); null when absent or from an untrusted hop (open question 3).
   */
  authenticatedOriginator: string | null;
  userAgent: string | null;
  /** RFC 3323 §4.2: Privacy asks for `id`, `user` or `header` (not `none`). */
  anonymityRequested: boolean;
  sessionExpires: SessionTimer | { interval: number; refresher: null } | null;
  minSe: number | null;
  /** `Supported: timer` or `Require: timer` (RFC 4028 §3). */
  supportsTimer: boolean;
  /** The MSRP offer; null when the SDP offers no MSRP media. */
  offer: MsrpMedia | null;
}

export interface CfPolicy {
  /** OK-3 / open question 15: e.g. `CPM-serv/OMA1.0`. */
  server: string;
  /** OK-4: every method the CF supports. */
  allow: string[];
  /** OK-5: the CF's own URI for Contact. */
  focusUri: string;
  /** INV-4: accepted User-Agent values (prefix match); null when no version is required. */
  requiredUserAgents: string[] | null;
  /** INV-4: the URI of the Error-Info header explaining the rejection. */
  errorInfoUri: string;
  /** INV-6: the smallest interval we accept (RFC 4028 §4: at least 90 s). */
  minSessionExpires: number;
  /** INV-6: larger requests are lowered to this (RFC 4028 §9 allows the UAS to reduce it). */
  maxSessionExpires: number;
  timers: {
    /** Ringing without a final answer before the CF gives up on the leg (like RFC 3261 Timer C). */
    noAnswerMs: number;
    /** RFC 3261 §9.1: 64*T1 for a final response after CANCEL. */
    cancelMs: number;
    /** RFC 3261 §13.3.1.4: 64*T1 for the ACK of a 2xx. */
    ackMs: number;
    /** Open question 9: how long a member may take to finish its copy after the sender's BYE. */
    drainMs: number;
  };
}

export type LegIndex = number;

/** The CF's MSRP endpoint for this session: one unguessable session-id, one URI per leg. */
export interface FocusMedia {
  /** `msrp://host:port` of the CF's MSRP listener. */
  authority: string;
  /** At least 80 bits from a CSPRNG, base64url. */
  sessionId: string;
}
