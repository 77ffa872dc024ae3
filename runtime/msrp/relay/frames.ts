/**
 * The frames the CF writes of its own accord: the bodiless SEND that binds a connection it opened,
 * the heads of its copies of a spooled chunk, and the end-to-end REPORT.
 */
import assert from 'node:assert';
import { detached } from '../../detached-string.ts';
import type { MsrpRequestHead } from '../frame.ts';
import { formatHeadersAfterPaths, formatPathHeaders, type ByteRange, type HeaderField } from '../headers.ts';
import { formatRequest, newTransactionId } from '../serializer.ts';
import type { MsrpUri } from '../uri.ts';
import type { ChunkHead } from './spool.ts';

/**
 * RFC 4975 §5.4: "After the connection is established, the active endpoint MUST immediately issue
 * a SEND request. This initial SEND request MAY have a body if the sender has content to send, or
 * it MAY have no body at all." The CF's has none: `1-0/0` of a fresh Message-ID.
 */
export function bindingSend(transactionId: string, toPath: readonly MsrpUri[], from: MsrpUri): Buffer {
  const head: MsrpRequestHead = {
    transactionId,
    method: 'SEND',
    headers: { toPath, fromPath: [from], messageId: newTransactionId(), byteRange: { start: 1, end: 0, total: 0 }, extensions: [], mime: [] },
    hasBody: false,
  };
  return formatRequest(head, undefined, '$');
}

/** What of an originator's chunk every leg's copy carries. */
export interface ChunkFields {
  readonly messageId: string;
  readonly byteRange: ByteRange | undefined;
  readonly contentType: string | undefined;
  /** Content-Disposition, Content-Description and the like: they describe the body, so they travel with it. */
  readonly mime: readonly HeaderField[];
  readonly hasBody: boolean;
}

/**
 * A chunk as the spool keeps it, with the lines every copy of it has after From-Path formatted once
 * for all legs: the originator's Message-ID, Byte-Range and body headers. No Success-Report (the
 * CF reports to the originator itself, open question 11) and no Failure-Report, whose default
 * "yes" makes the member answer every chunk (RFC 4975 §7.2), which is how the CF learns that it
 * has it.
 */
export function chunkHead(fields: ChunkFields): ChunkHead {
  // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF.
  assert(!fields.hasBody || fields.contentType !== undefined, 'the parser refuses a body without Content-Type');
  const { messageId, byteRange, contentType, mime, hasBody } = fields;
  const lines = formatHeadersAfterPaths({ messageId, byteRange, contentType, extensions: [], mime });
  return { messageId, hasBody, linesAfterPaths: hasBody ? `${lines}\r\n` : lines };
}

/**
 * The heads of one leg's copies of chunks: the leg's own To-Path and From-Path, formatted once per
 * leg, then the chunk's lines (`chunkHead`); per copy only the transaction-id is new.
 */
export class RelayedHeads {
  readonly #paths: string;

  constructor(toPath: readonly MsrpUri[], from: MsrpUri) {
    // As formatted, the lines are a tree of ~16 concatenations (~700 bytes with their pieces) that V8
    // keeps as such for as long as the leg lives, and walks again in every copy's `Buffer.from`; flat,
    // they are one string (~150 bytes), which each copy's head takes in one piece.
    this.#paths = detached(formatPathHeaders(toPath, [from]));
  }

  of(transactionId: string, chunk: ChunkHead): Buffer {
    return Buffer.from(`MSRP ${transactionId} SEND\r\n${this.#paths}${chunk.linesAfterPaths}`, 'utf8');
  }
}

/**
 * RFC 4975 §7.1.2: a REPORT carries the Message-ID, the Byte-Range reported on and a Status of
 * namespace 000; REPORTs are never answered, so there is no transaction to keep.
 */
export function reportRequest(report: { toPath: readonly MsrpUri[]; from: MsrpUri; messageId: string; bytes: number; status: number; comment: string }): Buffer {
  const head: MsrpRequestHead = {
    transactionId: newTransactionId(),
    method: 'REPORT',
    headers: {
      toPath: report.toPath,
      fromPath: [report.from],
      messageId: report.messageId,
      byteRange: { start: 1, end: report.bytes, total: report.bytes },
      status: { namespace: '000', code: report.status, comment: report.comment },
      extensions: [],
      mime: [],
    },
    hasBody: false,
  };
  return formatRequest(head, undefined, '$');
}
