/**
 * The CF as the originator's MSRP peer (open question 4): it binds the originator's connection,
 * takes each chunk of each SEND into the session's spool, answers it hop by hop, refuses what the
 * session's answer does not allow, and sends the originator the end-to-end REPORTs the machines
 * decide on (open question 11).
 */
import type { MediaEvents } from '../../media.ts';
import type { ReportRequest } from '../../../machines/msrp-send.ts';
import type { MsrpMedia } from '../../../machines/types.ts';
import type { MsrpRequestHead, MsrpResponse } from '../frame.ts';
import type { ByteRange } from '../headers.ts';
import { newTransactionId } from '../serializer.ts';
import type { MsrpUri } from '../uri.ts';
import { acceptsContentType } from './accept-types.ts';
import type { ConnectionUser, FrameSink, MsrpConnection } from './connection.ts';
import { bindingSend, chunkHead, reportRequest } from './frames.ts';
import type { RelayConfig } from './options.ts';
import { parsePathOf } from './path.ts';
import { RelayError } from './relay-errors.ts';
import type { Spool } from './spool.ts';

export interface OriginatorSideContext {
  /** The CF's URI towards the originator (`focusMsrpUri(focus, 'originator')`). */
  readonly ownUri: MsrpUri;
  readonly spool: Spool;
  readonly config: RelayConfig;
  readonly events: Pick<MediaEvents, 'onSend'>;
  connect(uri: MsrpUri): MsrpConnection;
  /** Whether to stop reading the originator for now; `resume()` is called when it may go on. */
  shouldPause(): boolean;
}

export class OriginatorSide implements ConnectionUser {
  readonly #context: OriginatorSideContext;
  /** The answer the CF gave (OK-2); undefined until then, and the originator's URI is unknown. */
  #answer: MsrpMedia | undefined;
  #connection: MsrpConnection | undefined;
  /** The originator's From-Path, to address REPORTs (RFC 4975 §7.1.2). */
  #peerPath: readonly MsrpUri[] = [];
  /** The message whose last spooled chunk ended in "+". */
  #underWay: string | undefined;
  /** Body bytes received per message, for the Byte-Range of its REPORT. */
  readonly #received = new Map<string, number>();
  #bindingTransaction: string | undefined;
  /** Reading stopped by `shouldPause()`, until `resume()`. */
  #paused = false;

  constructor(context: OriginatorSideContext) {
    this.#context = context;
  }

  expect(answer: MsrpMedia): void {
    this.#answer = answer;
  }

  /** RFC 6135 §4: the originator offered a=setup:passive, so the CF connects and binds. */
  connectTo(offer: MsrpMedia): void {
    const path = parsePathOf(offer);
    if (!path.ok) {
      this.#context.config.logger.warn({ err: path.error }, 'cannot connect to the originator');
      return;
    }
    const connection = this.#context.connect(path.value[0]);
    this.#bindTo(connection);
    this.#peerPath = path.value;
    this.#bindingTransaction = newTransactionId();
    connection.sender.sendFrame(bindingSend(this.#bindingTransaction, path.value, this.#context.ownUri));
  }

  /** A request whose To-Path names the originator's side of this session. */
  accept(connection: MsrpConnection, head: MsrpRequestHead): FrameSink | undefined {
    const answer = this.#answer;
    // RFC 4975 §7.3: a request for a session that does not exist is answered 481; before the
    // CF's answer the originator cannot know this URI, so the session is not open to it yet.
    if (answer === undefined) return this.#refuse(connection, head, new RelayError('CPM_ERR_MSRP_NO_SUCH_SESSION', 'no originator is expected yet'));
    // RFC 4975 §10: 506 "indicates that a request arrived on a session which is already bound
    // to another network connection".
    if (this.#connection !== undefined && this.#connection !== connection) {
      return this.#refuse(connection, head, new RelayError('CPM_ERR_MSRP_SESSION_ON_OTHER_CONNECTION', 'the originator is bound to another connection'));
    }
    // RFC 4975 §7.1.2: REPORTs get no response; the CF asks the originator for none, so any that
    // comes is dropped, and it does not bind a connection (the active side binds with a SEND).
    if (head.method !== 'SEND') return undefined;
    // RFC 4975 §5.4: the first SEND on a new connection binds it to the session.
    if (this.#connection === undefined) this.#bindTo(connection);
    this.#peerPath = head.headers.fromPath;
    const messageId = head.headers.messageId;
    // RFC 4975 §7.1.1: SEND requests carry a Message-ID.
    if (messageId === undefined) return this.#refuse(connection, head, new RelayError('CPM_ERR_MSRP_INVALID_HEADER', 'SEND without Message-ID'));
    // A bodiless SEND that continues no message binds the connection or keeps it alive (RFC 4975
    // §5.4); it carries nothing to relay.
    if (!head.hasBody && messageId !== this.#underWay) {
      connection.answer(head, 200);
      return undefined;
    }
    const refusal = this.#refusalOf(head, answer);
    if (refusal !== undefined) return this.#refuseChunk(connection, head, refusal);
    return this.#spool(connection, head, messageId, limitOf(answer, this.#context.config));
  }

  /** Open question 11: the end-to-end REPORT of a message, on the originator's connection. */
  report(messageId: string, status: number, comment: string): void {
    const connection = this.#connection;
    if (connection === undefined) {
      this.#context.config.logger.warn({ messageId, status }, 'REPORT dropped: the originator has no MSRP connection');
      return;
    }
    const bytes = this.#received.get(messageId) ?? 0;
    this.#received.delete(messageId);
    connection.sender.sendFrame(reportRequest({ toPath: this.#peerPath, from: this.#context.ownUri, messageId, bytes, status, comment }));
  }

  /** The spool can take more: read the originator again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#connection?.resumeReading();
  }

  close(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.unbind(this, 'destroy');
  }

  onResponse(response: MsrpResponse): boolean {
    if (response.transactionId !== this.#bindingTransaction) return false;
    this.#bindingTransaction = undefined;
    if (response.status !== 200) {
      this.#context.config.logger.warn({ status: response.status }, 'the originator refused the binding SEND');
    }
    return true;
  }

  onClose(): void {
    this.#connection = undefined;
    this.#paused = false;
  }

  #bindTo(connection: MsrpConnection): void {
    this.#connection = connection;
    connection.bind(this, this.#context.ownUri.sessionId);
  }

  #refusalOf(head: MsrpRequestHead, answer: MsrpMedia): RelayError | undefined {
    const contentType = head.headers.contentType;
    // RFC 4975 §10: 415 "indicates that the request contained a MIME content-type that is not
    // understood by the receiver"; what the CF understands is what its answer's a=accept-types said.
    if (head.hasBody && contentType !== undefined && !acceptsContentType(answer.acceptTypes, contentType)) {
      return new RelayError('CPM_ERR_MSRP_UNSUPPORTED_MEDIA_TYPE', `Content-Type ${contentType} is not in a=accept-types`);
    }
    const limit = limitOf(answer, this.#context.config);
    const announced = largestAnnounced(head.headers.byteRange);
    // RFC 4975 §10: 413 "indicates that the recipient wishes the sender to stop sending the
    // message"; the Byte-Range tells the size before the first body byte, so refuse at once.
    if (announced > limit) {
      return new RelayError('CPM_ERR_MSRP_MESSAGE_TOO_LARGE', `message announced with ${announced} bytes, more than ${limit}`);
    }
    return undefined;
  }

  #refuse(connection: MsrpConnection, head: MsrpRequestHead, error: RelayError): undefined {
    this.#context.config.logger.debug({ err: error, transactionId: head.transactionId }, 'MSRP request refused');
    if (error.status !== undefined) connection.answer(head, error.status);
    return undefined;
  }

  /** A chunk the session does not take: refused, and its message ended for the members too, or their copies would stay open. */
  #refuseChunk(connection: MsrpConnection, head: MsrpRequestHead, error: RelayError): undefined {
    this.#refuse(connection, head, error);
    if (head.headers.messageId !== undefined && head.headers.messageId === this.#underWay) {
      const start = head.headers.byteRange?.start ?? 1;
      const chunk = this.#context.spool.begin(
        chunkHead({
          messageId: head.headers.messageId,
          byteRange: { start, end: start - 1, total: head.headers.byteRange?.total ?? '*' },
          contentType: undefined,
          mime: [],
          hasBody: false,
        }),
      );
      this.#finish(head, chunk.messageId, '#', start - 1);
    }
    return undefined;
  }

  #spool(connection: MsrpConnection, head: MsrpRequestHead, messageId: string, limit: number): FrameSink {
    const spool = this.#context.spool;
    const offset = (head.headers.byteRange?.start ?? 1) - 1;
    const chunk = spool.begin(
      chunkHead({
        messageId,
        byteRange: head.headers.byteRange,
        contentType: head.headers.contentType,
        mime: head.headers.mime,
        hasBody: head.hasBody,
      }),
    );
    let tooLarge = false;
    return {
      onBody: (data) => {
        if (tooLarge) return;
        if (offset + chunk.length + data.length > limit) {
          // The Byte-Range did not tell ("*"), the bytes do: stop spooling, and the members'
          // copies end here, aborted (RFC 4975 §7.1).
          tooLarge = true;
          this.#finish(head, messageId, '#', offset + chunk.length);
          return;
        }
        spool.append(data);
        if (!this.#paused && this.#context.shouldPause()) {
          this.#paused = true;
          connection.pauseReading();
        }
      },
      onEnd: (end) => {
        if (tooLarge) {
          connection.answer(head, 413);
          return;
        }
        connection.answer(head, 200);
        this.#finish(head, messageId, end.flag, offset + chunk.length);
      },
      onAbort: () => {
        if (!tooLarge) this.#finish(head, messageId, '#', offset + chunk.length);
      },
    };
  }

  /** The open chunk ends with `flag`; the machines hear of it (SEND-1). */
  #finish(head: MsrpRequestHead, messageId: string, flag: '$' | '+' | '#', receivedUpTo: number): void {
    this.#context.spool.end(flag);
    this.#received.set(messageId, Math.max(this.#received.get(messageId) ?? 0, receivedUpTo));
    this.#underWay = flag === '+' ? messageId : undefined;
    const failureReport: ReportRequest = head.headers.failureReport ?? 'yes';
    this.#context.events.onSend({ messageId, flag, successReport: head.headers.successReport === 'yes', failureReport });
  }
}

/** The session's size limit: the configured maximum, lowered by the answer's a=max-size (RFC 4975 §8.6). */
function limitOf(answer: MsrpMedia, config: RelayConfig): number {
  return Math.min(config.maxMessageBytes, answer.maxSize ?? Number.POSITIVE_INFINITY);
}

/** The size a Byte-Range says the message reaches at least: its total, else its end, else what precedes its start. */
function largestAnnounced(range: ByteRange | undefined): number {
  if (range === undefined) return 0;
  if (range.total !== '*') return range.total;
  return range.end === '*' ? range.start - 1 : range.end;
}
