/**
 * The frames the CF writes of its own accord: the bodiless SEND that binds a connection it opened,
 * the head of its copy of a spooled chunk, and the end-to-end REPORT.
 */
import type { MsrpRequestHead } from '../frame.ts';
import { formatRequest, formatRequestHead } from '../serializer.ts';
import type { MsrpUri } from '../uri.ts';
import type { ChunkHead } from './spool.ts';
import { pooledTransactionId } from './transaction-ids.ts';

/**
 * RFC 4975 §5.4: "After the connection is established, the active endpoint MUST immediately issue
 * a SEND request. This initial SEND request MAY have a body if the sender has content to send, or
 * it MAY have no body at all." The CF's has none: `1-0/0` of a fresh Message-ID.
 */
export function bindingSend(transactionId: string, toPath: readonly MsrpUri[], from: MsrpUri): Buffer {
  const head: MsrpRequestHead = {
    transactionId,
    method: 'SEND',
    headers: { toPath, fromPath: [from], messageId: pooledTransactionId(), byteRange: { start: 1, end: 0, total: 0 }, extensions: [], mime: [] },
    hasBody: false,
  };
  return formatRequest(head, undefined, '$');
}

/**
 * The head of one leg's copy of a chunk: the leg's own To-Path, From-Path and transaction-id, the
 * originator's Message-ID, Byte-Range and body headers. No Success-Report (the CF reports to the
 * originator itself, open question 11) and no Failure-Report, whose default "yes" makes the member
 * answer every chunk (RFC 4975 §7.2), which is how the CF learns that it has it.
 */
export function relayedChunkHead(transactionId: string, chunk: ChunkHead, toPath: readonly MsrpUri[], from: MsrpUri): Buffer {
  return formatRequestHead({
    transactionId,
    method: 'SEND',
    headers: {
      toPath,
      fromPath: [from],
      messageId: chunk.messageId,
      ...(chunk.byteRange === undefined ? {} : { byteRange: chunk.byteRange }),
      ...(chunk.contentType === undefined ? {} : { contentType: chunk.contentType }),
      extensions: [],
      mime: chunk.mime,
    },
    hasBody: chunk.hasBody,
  });
}

/**
 * RFC 4975 §7.1.2: a REPORT carries the Message-ID, the Byte-Range reported on and a Status of
 * namespace 000; REPORTs are never answered, so there is no transaction to keep.
 */
export function reportRequest(report: { toPath: readonly MsrpUri[]; from: MsrpUri; messageId: string; bytes: number; status: number; comment: string }): Buffer {
  const head: MsrpRequestHead = {
    transactionId: pooledTransactionId(),
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
