/**
 * Types for the `sip` npm package (0.0.6, plain CommonJS without typings), as far as the tests use
 * it as an independent SIP peer. Messages are its parsed objects (`doc/api.markdown`).
 */
declare module 'sip' {
  namespace sip {
    type Params = Record<string, string | null | undefined>;

    interface NameAddr {
      name?: string;
      uri: string;
      params: Params;
    }

    interface Via {
      version?: string;
      protocol?: string;
      host?: string;
      port?: number;
      params: Params;
    }

    interface Headers {
      via?: Via[];
      from?: NameAddr;
      to?: NameAddr;
      'call-id'?: string;
      cseq?: { seq: number; method: string };
      contact?: NameAddr[];
      route?: NameAddr[];
      'record-route'?: NameAddr[];
      'content-type'?: string;
      [name: string]: unknown;
    }

    interface Message {
      method?: string;
      uri?: string;
      status?: number;
      reason?: string;
      version?: string;
      headers: Headers;
      content?: string;
    }

    interface Remote {
      protocol: string;
      address: string;
      port: number;
    }

    interface Options {
      port?: number;
      address?: string;
      publicAddress?: string;
      hostname?: string;
      udp?: boolean;
      tcp?: boolean;
      logger?: { send?: (m: Message, target: unknown) => void; recv?: (m: Message, remote: Remote) => void; error?: (e: unknown) => void };
    }

    interface Stack {
      send(message: Message, callback?: (response: Message) => void): void;
      destroy(): void;
      hostname(): string;
    }

    function create(options: Options, onRequest: (request: Message, remote: Remote) => void): Stack;
    function makeResponse(request: Message, status: number, reason?: string): Message;
    function stringify(message: Message): string;
    function parse(text: string): Message | undefined;
  }
  export = sip;
}
