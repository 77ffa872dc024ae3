/**
 * The relay's own faults, in a table like the framer's (`../errors.ts`, whose codes the relay
 * reuses for 481, 506, 415 and 408): a stable `CPM_ERR_MSRP_*` code and the MSRP status that goes
 * with it, if any. They are logged and drop one leg or refuse one request; none of them stops the
 * relay or another session.
 */
import { MSRP_ERRORS, type MsrpErrorCode } from '../errors.ts';

export const RELAY_ERRORS = {
  /** A message outgrows the configured maximum or the session's a=max-size (RFC 4975 §10: 413). */
  CPM_ERR_MSRP_MESSAGE_TOO_LARGE: { status: 413 },
  /** A member sent a SEND with a body; in a Large Message Mode session only the originator sends. */
  CPM_ERR_MSRP_MEMBER_SENDS: { status: 403 },
  /** A member answered a chunk (or the binding SEND) with an error status. */
  CPM_ERR_MSRP_MEMBER_REFUSED: { status: undefined },
  /** The TCP connection could not be opened, or the member did not connect and bind in time. */
  CPM_ERR_MSRP_CONNECT_FAILED: { status: undefined },
  /** The connection closed or was reset while the leg still needed it. */
  CPM_ERR_MSRP_CONNECTION_LOST: { status: undefined },
  /** The member's a=path cannot be used: not an MSRP URI, or `msrps` (TLS is not implemented). */
  CPM_ERR_MSRP_UNUSABLE_PATH: { status: undefined },
  /** The spool file could not be written or read. */
  CPM_ERR_MSRP_SPOOL_IO: { status: undefined },
} as const satisfies Record<string, { status: number | undefined }>;

export type RelayErrorCode = keyof typeof RELAY_ERRORS | MsrpErrorCode;

/**
 * A fault met while relaying, named by its stable code.
 *
 * @example
 * logger.warn({ err: new RelayError('CPM_ERR_MSRP_MEMBER_REFUSED', 'member answered 486') }, 'leg dropped');
 */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: RelayErrorCode;
  /** The MSRP status to answer with, when the fault is a refused request. */
  readonly status: number | undefined;

  constructor(code: RelayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = code in RELAY_ERRORS ? RELAY_ERRORS[code as keyof typeof RELAY_ERRORS].status : MSRP_ERRORS[code as MsrpErrorCode].status;
  }
}
