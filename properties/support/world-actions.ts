/**
 * What the simulated world can do to the CF, in the world's own words: the originator, the XDMS,
 * each member's SIP UA and MSRP endpoint, and the clock. An executor turns these into whatever the
 * CF under test takes: session events for the machines (`machine-executor.ts`), SIP and MSRP bytes
 * on sockets for the runtime. Commands and invariants only ever speak this vocabulary.
 */
import type { TimerName } from '../../machines/effects.ts';
import type { GroupDocument } from '../../machines/group.ts';
import type { ReportRequest } from '../../machines/msrp-send.ts';
import type { InviteSummary, LegIndex, MsrpMedia } from '../../machines/types.ts';

export type XdmsAnswer =
  | { kind: 'found'; group: GroupDocument }
  | { kind: 'notFound' }
  | { kind: 'unavailable'; status: 500 | 503; retryAfter: number | null };

/** A member's final answer to the CF's INVITE; an `accept` with a null answer carries no usable MSRP media. */
export type MemberAnswer =
  | { kind: 'accept'; answer: MsrpMedia | null }
  | { kind: 'reject'; status: number }
  | { kind: 'unreachable' };

export type ContinuationFlag = '+' | '$' | '#';

export interface Chunk {
  bytes: Buffer;
  flag: ContinuationFlag;
  successReport: boolean;
  failureReport: ReportRequest;
}

export type OriginatorAct =
  | { act: 'INVITE'; invite: InviteSummary }
  | { act: 'CANCEL' | 'ACK' | 'BYE' | 'REFRESH' }
  /** The originator leaves the CF's own refresh unanswered: the CF's transaction times out. */
  | { act: 'REFRESH_UNANSWERED' }
  | { act: 'SEND'; chunk: Chunk };

export type MemberAct =
  | { act: 'RING' }
  | { act: 'ANSWER'; answer: MemberAnswer }
  | { act: 'BYE' }
  /** The member's 200 to the CF's BYE. */
  | { act: 'BYE_OK' }
  /** The member's MSRP connection is established (whichever side opened it). */
  | { act: 'CONNECT' }
  /** The member's MSRP connection breaks. */
  | { act: 'DROP' }
  /** The member reads (and acknowledges) up to `bytes` bytes of what the CF relays to it. */
  | { act: 'READ'; bytes: number };

export type WorldAction =
  | ({ by: 'originator' } & OriginatorAct)
  | { by: 'xdms'; answer: XdmsAnswer }
  | ({ by: 'member'; leg: LegIndex } & MemberAct)
  | { by: 'clock'; timer: TimerName; leg: LegIndex | null };

/**
 * The connection an action travels on. Actions on one channel arrive in order (TCP, or a SIP
 * transaction layer); actions on different channels may overtake each other. The clock is the
 * CF's own and has no channel.
 */
export function channelOf(action: WorldAction): string | null {
  switch (action.by) {
    case 'clock':
      return null;
    case 'xdms':
      return 'xdms';
    case 'originator':
      return action.act === 'SEND' ? 'originator/msrp' : 'originator/sip';
    case 'member': {
      const msrp = action.act === 'CONNECT' || action.act === 'DROP' || action.act === 'READ';
      return `member${action.leg}/${msrp ? 'msrp' : 'sip'}`;
    }
  }
}

export function describeAction(action: WorldAction): string {
  switch (action.by) {
    case 'clock':
      return `clock fires ${action.timer}${action.leg === null ? '' : `/${action.leg}`}`;
    case 'xdms':
      return `xdms answers ${action.answer.kind}`;
    case 'originator':
      return action.act === 'SEND' ? `originator SEND ${action.chunk.bytes.length}B ${action.chunk.flag}` : `originator ${action.act}`;
    case 'member': {
      const detail =
        action.act === 'ANSWER'
          ? ` ${action.answer.kind === 'reject' ? action.answer.status : action.answer.kind}${action.answer.kind === 'accept' && action.answer.answer === null ? ' without MSRP' : ''}`
          : action.act === 'READ'
            ? ` ${action.bytes}B`
            : '';
      return `member ${action.leg} ${action.act}${detail}`;
    }
  }
}
