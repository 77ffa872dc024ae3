/**
 * An XDMS whose every answer the test chooses: each XCAP GET is held until the test answers it with
 * a group document, a 404 or a 503 — so that a CANCEL can arrive while the CF still waits for the
 * group, as the machines' paths say it may (open question 8).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupDocument } from '../../machines/group.ts';
import { GROUP_DOCUMENT_MEDIA_TYPE } from '../../runtime/xdm/xdm-names.ts';
import { groupXml } from './groups.ts';
import { waitFor } from './wait-for.ts';

export type XdmsAnswer =
  | { kind: 'found'; group: GroupDocument }
  | { kind: 'not-found' }
  /** 503, with `Retry-After` unless null. */
  | { kind: 'unavailable'; retryAfter: number | null }
  /** A 200 whose body is no group document. */
  | { kind: 'unusable' };

export interface HeldXdms {
  readonly url: string;
  /** GETs received so far. */
  readonly received: number;
  /** Answers the oldest GET still held, waiting for one to arrive. */
  answer(answer: XdmsAnswer): Promise<void>;
  /** GETs received and not answered yet. */
  readonly held: number;
  /** GETs the client gave up on (closed their connection) before they were answered. */
  readonly abandoned: number;
  /** Answers every GET still held with 404, so none lingers. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldXdms(): Promise<HeldXdms> {
  const held: ServerResponse[] = [];
  let received = 0;
  let abandoned = 0;
  const server = createServer((_request, response) => {
    received++;
    held.push(response);
    response.once('close', () => {
      if (response.writableEnded) return;
      abandoned++;
      held.splice(held.indexOf(response), 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const send = (response: ServerResponse, answer: XdmsAnswer): void => {
    if (answer.kind === 'found') response.writeHead(200, { 'content-type': GROUP_DOCUMENT_MEDIA_TYPE, 'cache-control': 'no-store' }).end(groupXml(answer.group));
    else if (answer.kind === 'not-found') response.writeHead(404).end();
    else if (answer.kind === 'unusable') response.writeHead(200, { 'content-type': GROUP_DOCUMENT_MEDIA_TYPE, 'cache-control': 'no-store' }).end('not a group document');
    else response.writeHead(503, answer.retryAfter === null ? {} : { 'retry-after': String(answer.retryAfter) }).end();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get received() {
      return received;
    },
    get held() {
      return held.length;
    },
    get abandoned() {
      return abandoned;
    },
    answer: async (answer) => {
      const response = await waitFor(() => held.shift(), 'an XCAP request', 3000);
      send(response, answer);
    },
    release: () => {
      for (const response of held.splice(0)) send(response, { kind: 'not-found' });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
