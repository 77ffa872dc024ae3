/**
 * A SIP user agent played by the `sip` npm package — an implementation independent of the CF's own
 * stack — on loopback, for the integration tests: it records every request it receives, answers
 * them as its `behaviour` says, and sends requests as an originator would.
 */
import sip from 'sip';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

export type Transport = 'udp' | 'tcp';

export type Behaviour = (request: sip.Message, peer: SipPeer) => void;

export class SipPeer {
  readonly requests: sip.Message[] = [];
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly transport: Transport,
    private stack: sip.Stack | undefined,
    public behaviour: Behaviour,
  ) {}

  static async start(name: string, transport: Transport, behaviour: Behaviour = () => undefined): Promise<SipPeer> {
    const port = await freePort();
    let peer: SipPeer | undefined;
    // `publicAddress` is only the Via host; it must differ from the CF's host, or the package takes
    // every request to 127.0.0.1 for one of its own flow tokens.
    const stack = sip.create({ port, address: '127.0.0.1', publicAddress: 'localhost', logger: { error: () => undefined } }, (request) => {
      if (peer === undefined) return;
      peer.requests.push(request);
      peer.behaviour(request, peer);
    });
    peer = new SipPeer(name, port, transport, stack, behaviour);
    return peer;
  }

  /** This peer's address, as a group document lists it. */
  get uri(): string {
    return `sip:${this.name}@127.0.0.1:${this.port}${this.transport === 'tcp' ? ';transport=tcp' : ''}`;
  }

  get contact(): sip.NameAddr[] {
    return [{ uri: this.uri, params: {} }];
  }

  send(message: sip.Message, onResponse: (response: sip.Message) => void = () => undefined): void {
    this.stack?.send(message, onResponse);
  }

  respond(request: sip.Message, status: number, reason: string, extra: { headers?: sip.Headers; content?: string } = {}): sip.Message {
    const response = sip.makeResponse(request, status, reason);
    if (status > 100 && response.headers.to !== undefined && response.headers.to.params.tag === undefined) {
      response.headers.to = { ...response.headers.to, params: { ...response.headers.to.params, tag: this.tagFor(request) } };
    }
    Object.assign(response.headers, extra.headers ?? {});
    if (extra.content !== undefined) response.content = extra.content;
    this.stack?.send(response);
    return response;
  }

  received(method: string): sip.Message[] {
    return this.requests.filter((r) => r.method === method);
  }

  waitForRequest(method: string, ms = 5000, predicate: (r: sip.Message) => boolean = () => true): Promise<sip.Message> {
    return waitFor(() => this.requests.find((r) => r.method === method && predicate(r)), `${method} at ${this.name}`, ms);
  }

  close(): void {
    this.stack?.destroy();
    this.stack = undefined;
  }

  private readonly tags = new Map<string, string>();

  /** The To tag this peer gives its responses to `request`: one per Call-ID, so 1xx and 2xx agree. */
  tagFor(request: sip.Message): string {
    const callId = request.headers['call-id'] ?? '';
    let tag = this.tags.get(callId);
    if (tag === undefined) {
      tag = `${this.name}-${Math.random().toString(36).slice(2, 10)}`;
      this.tags.set(callId, tag);
    }
    return tag;
  }
}

