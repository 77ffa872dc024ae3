/**
 * CSeq = "CSeq" HCOLON 1*DIGIT LWS Method (RFC 3261 §20.16). "The sequence number MUST be
 * expressible as a 32-bit unsigned integer" (§8.1.1.5), so larger values are refused
 * (RFC 4475 §3.1.2.4); leading zeros are allowed (§3.1.1.1 "0009").
 */
import { DIGIT } from '../charsets.ts';
import { attempt, type Parsed } from '../errors.ts';
import { parsedOnce, type SipHeader } from '../message.ts';
import { Scanner } from '../scanner.ts';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

const MAX_CSEQ = 2 ** 32 - 1;

export function parseCSeq(value: string): Parsed<CSeq> {
  return attempt(() => {
    const scanner = new Scanner(value, 'CPM_ERR_SIP_BAD_CSEQ');
    scanner.skipSpace();
    const digits = scanner.take(DIGIT, 'sequence number');
    const seq = Number(digits);
    if (seq > MAX_CSEQ) scanner.fail('sequence number above 2**32-1');
    if (!scanner.skipSpace()) scanner.fail('expected LWS');
    const method = scanner.token('method');
    scanner.end();
    return { seq, method };
  });
}

/** `parseCSeq` of a CSeq header, parsed once and shared (see `parsedOnce`). */
export const parseCSeqHeader: (header: SipHeader) => Parsed<CSeq> = parsedOnce(parseCSeq);

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
