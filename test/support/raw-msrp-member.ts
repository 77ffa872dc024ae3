/**
 * A member written without the project's framer, as an independent check on it: plain `net`, the
 * stream kept as a latin1 string (one char per byte), frames cut with `indexOf` on the RFC 4975 §9
 * delimiters. It listens (the CF connects to it), answers every SEND 200 and hashes each message.
 */
import { createHash, type Hash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export interface RawMessage {
  hash: Hash;
  bytes: number;
  sha256: string | undefined;
}

export class RawMember {
  readonly uri: string;
  readonly messages = new Map<string, RawMessage>();
  /** Each SEND's Byte-Range value and flag, in order. */
  readonly sends: { transactionId: string; messageId: string; byteRange: string; flag: string; bodyBytes: number }[] = [];
  /** Frames it could not read; a test expects none. */
  readonly problems: string[] = [];
  readonly #server: Server;
  #socket: Socket | undefined;
  #stream = '';

  private constructor(uri: string, server: Server) {
    this.uri = uri;
    this.#server = server;
  }

  static async listen(): Promise<RawMember> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const member = new RawMember(`msrp://127.0.0.1:${address.port}/rawmember${address.port};tcp`, server);
    server.on('connection', (socket) => {
      member.#socket = socket;
      socket.on('data', (data: Buffer) => member.#read(socket, data));
      socket.on('error', () => undefined);
    });
    return member;
  }

  destroy(): void {
    this.#socket?.destroy();
    this.#server.close();
  }

  #read(socket: Socket, data: Buffer): void {
    this.#stream += data.toString('latin1');
    for (;;) {
      const consumed = this.#frame(socket);
      if (consumed === 0) return;
      this.#stream = this.#stream.slice(consumed);
    }
  }

  /** Handles the first whole frame of the stream; returns its length, or 0 if it is not all there. */
  #frame(socket: Socket): number {
    const s = this.#stream;
    const lineEnd = s.indexOf('\r\n');
    if (lineEnd === -1) return 0;
    const [magic, transactionId = '', word = ''] = s.slice(0, lineEnd).split(' ');
    if (magic !== 'MSRP') {
      this.problems.push(`not a start-line: ${JSON.stringify(s.slice(0, 40))}`);
      socket.destroy();
      return 0;
    }
    const endLine = `-------${transactionId}`;
    const blank = s.indexOf('\r\n\r\n', lineEnd);
    const bodiless = s.indexOf(`\r\n${endLine}`, lineEnd);
    if (blank === -1 && bodiless === -1) return 0;
    const hasBody = blank !== -1 && (bodiless === -1 || blank < bodiless);
    const headerText = s.slice(lineEnd + 2, hasBody ? blank : bodiless);
    const bodyStart = blank + 4;
    const close = hasBody ? s.indexOf(`\r\n${endLine}`, bodyStart) : bodiless;
    if (close === -1 || s.length < close + 2 + endLine.length + 3) return 0;
    const flag = s.charAt(close + 2 + endLine.length);
    const headers = new Map(headerText.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
    if (word === 'SEND') this.#onSend(socket, transactionId, headers, hasBody ? s.slice(bodyStart, close) : '', flag);
    return close + 2 + endLine.length + 3;
  }

  #onSend(socket: Socket, transactionId: string, headers: Map<string, string>, body: string, flag: string): void {
    const messageId = headers.get('message-id') ?? '';
    this.sends.push({ transactionId, messageId, byteRange: headers.get('byte-range') ?? '', flag, bodyBytes: body.length });
    if (body.length > 0 || this.messages.has(messageId)) {
      const message = this.messages.get(messageId) ?? { hash: createHash('sha256'), bytes: 0, sha256: undefined };
      message.hash.update(Buffer.from(body, 'latin1'));
      message.bytes += body.length;
      if (flag === '$') message.sha256 = message.hash.digest('hex');
      this.messages.set(messageId, message);
    }
    const previousHop = (headers.get('from-path') ?? '').split(' ')[0];
    socket.write(`MSRP ${transactionId} 200 OK\r\nTo-Path: ${previousHop}\r\nFrom-Path: ${this.uri}\r\n-------${transactionId}$\r\n`);
  }
}
