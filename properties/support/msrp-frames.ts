/**
 * Valid MSRP frames for the framer's fuzzing: SEND chunks of messages of several sessions, and
 * responses, written with the project's serializer; a stream of them knows where each frame ends,
 * so truncations and defects can be placed and their outcome predicted.
 */
import fc from 'fast-check';
import type { ContinuationFlag, MsrpRequestHead, MsrpResponse } from '../../runtime/msrp/frame.ts';
import type { MsrpHeaders } from '../../runtime/msrp/headers.ts';
import { containsEndLine, formatRequest, formatResponse } from '../../runtime/msrp/serializer.ts';
import type { MsrpUri } from '../../runtime/msrp/uri.ts';

export type Frame =
  | { kind: 'request'; head: MsrpRequestHead; body: Buffer | undefined; flag: ContinuationFlag }
  | { kind: 'response'; response: MsrpResponse };

/** The CF's URI for session `sessionId`, as a To-Path names it. */
function uriOf(sessionId: string): MsrpUri {
  return { secure: false, host: 'cf.example.net', port: 2855, sessionId, transport: 'tcp', params: [] };
}

const peer: MsrpUri = { secure: false, host: '[2001:db8::7]', port: 7777, sessionId: 'peer', transport: 'tcp', params: [] };

export const tidArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.+%=-]{3,15}$/);
const sessionArb = fc.stringMatching(/^[A-Za-z0-9]{4,10}$/);

export function sendHead(transactionId: string, sessionId: string, messageId: string, body: Buffer | undefined, range: MsrpHeaders['byteRange'], extensions: MsrpHeaders['extensions'] = []): MsrpRequestHead {
  const headers: MsrpHeaders = {
    toPath: [uriOf(sessionId)],
    fromPath: [peer],
    messageId,
    ...(range === undefined ? {} : { byteRange: range }),
    extensions,
    mime: [],
    ...(body === undefined ? {} : { contentType: 'application/octet-stream' }),
  };
  return { transactionId, method: 'SEND', headers, hasBody: body !== undefined };
}

/** A SEND whose body does not hold its own end-line (RFC 4975 §7.1: the sender picks another id then). */
export const sendArb: fc.Arbitrary<Frame> = fc
  .record({
    tid: tidArb,
    session: sessionArb,
    body: fc.option(fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)), { nil: undefined, freq: 4 }),
    flag: fc.constantFrom<ContinuationFlag>('$', '+', '#'),
  })
  .filter(({ tid, body }) => body === undefined || !containsEndLine(body, tid))
  .map(({ tid, session, body, flag }): Frame => ({
    kind: 'request',
    head: sendHead(tid, session, `m-${session}`, body, { start: 1, end: body?.length ?? 0, total: body?.length ?? 0 }),
    body,
    flag,
  }));

const responseArb: fc.Arbitrary<Frame> = fc
  .record({ tid: tidArb, status: fc.constantFrom(200, 400, 403, 408, 413, 415, 481, 501, 506), session: sessionArb })
  .map(({ tid, status, session }): Frame => ({ kind: 'response', response: { transactionId: tid, status, headers: { toPath: [peer], fromPath: [uriOf(session)], extensions: [], mime: [] } } }));

export const frameArb = fc.oneof({ weight: 3, arbitrary: sendArb }, { weight: 1, arbitrary: responseArb });

export function frameBytes(frame: Frame): Buffer {
  return frame.kind === 'response' ? formatResponse(frame.response) : formatRequest(frame.head, frame.body, frame.flag);
}

/** The frames as one stream, with the offset at which each frame ends. */
export function stream(frames: readonly Frame[]): { bytes: Buffer; ends: number[] } {
  const parts = frames.map(frameBytes);
  const ends: number[] = [];
  let at = 0;
  for (const part of parts) ends.push((at += part.length));
  return { bytes: Buffer.concat(parts), ends };
}
