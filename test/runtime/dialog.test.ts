import { describe, expect, it } from 'vitest';
import { Dialog, requestDialogKey, responseDialogKey } from '../../runtime/sip/dialog.ts';
import { getHeader, getHeaders, type SipRequest, type SipResponse } from '../../runtime/sip/message.ts';
import { formatUri } from '../../runtime/sip/uri.ts';
import { parseOk, wire } from '../sip/fixtures.ts';

const VIA = { transport: 'UDP', host: '192.0.2.9', port: 5060 };

const invite = parseOk(
  wire([
    'INVITE sip:friends@cpm.example.net SIP/2.0',
    'Via: SIP/2.0/UDP client.example.net;branch=z9hG4bK-1',
    'Record-Route: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>',
    'Record-Route: <sip:p3.example.net;lr>',
    'From: "Sender" <sip:sender@example.net>;tag=remote',
    'To: <sip:friends@cpm.example.net>',
    'Call-ID: dlg-1',
    'CSeq: 7 INVITE',
    'Contact: <sip:sender@192.0.2.1:5070;transport=tcp>',
    'Content-Length: 0',
  ]),
) as SipRequest;

describe('Dialog.asUas (RFC 3261 §12.1.1)', () => {
  const dialog = Dialog.asUas(invite, 'local')!;

  it('takes the route set from Record-Route in order and the remote target from Contact', () => {
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p1.example.net;lr', 'sip:p2.example.net;lr', 'sip:p3.example.net;lr']);
    expect(formatUri(dialog.remoteTarget)).toBe('sip:sender@192.0.2.1:5070;transport=tcp');
  });

  it('builds in-dialog requests per §12.2.1.1: target as Request-URI, the route set as Route, tags swapped, CSeq counting up', () => {
    const bye = dialog.request('BYE', { via: VIA });
    expect(formatUri(bye.uri)).toBe('sip:sender@192.0.2.1:5070;transport=tcp');
    expect(getHeaders(bye, 'route')).toEqual(['<sip:p1.example.net;lr>', '<sip:p2.example.net;lr>', '<sip:p3.example.net;lr>']);
    expect(getHeader(bye, 'from')).toBe('<sip:friends@cpm.example.net>;tag=local');
    expect(getHeader(bye, 'to')).toBe('"Sender" <sip:sender@example.net>;tag=remote');
    expect(getHeader(bye, 'cseq')).toBe('1 BYE');
    expect(getHeader(dialog.request('UPDATE', { via: VIA }), 'cseq')).toBe('2 UPDATE');
    expect(getHeader(dialog.request('ACK', { via: VIA, cseq: 1 }), 'cseq')).toBe('1 ACK');
  });

  it('is found again from the requests of the peer (To carries our tag)', () => {
    const bye = parseOk(wire(['BYE sip:cf@x SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK-2', 'From: <sip:sender@example.net>;tag=remote', 'To: <sip:friends@cpm.example.net>;tag=local', 'Call-ID: dlg-1', 'CSeq: 8 BYE', 'Content-Length: 0'])) as SipRequest;
    expect(requestDialogKey(bye)).toBe(dialog.key);
  });

  it('refuses a request older than the last one (§12.2.2: 500)', () => {
    const fresh = Dialog.asUas(invite, 'local')!;
    expect(fresh.acceptRemoteSeq(6)).toBe(false);
    expect(fresh.acceptRemoteSeq(8)).toBe(true);
    expect(fresh.acceptRemoteSeq(7)).toBe(false);
  });
});

describe('Dialog.asUac (RFC 3261 §12.1.2)', () => {
  const ok = parseOk(
    wire([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP client.example.net;branch=z9hG4bK-1',
      'Record-Route: <sip:p1.example.net;lr>, <sip:p2.example.net>',
      'From: "Sender" <sip:sender@example.net>;tag=remote',
      'To: <sip:friends@cpm.example.net>;tag=callee',
      'Call-ID: dlg-1',
      'CSeq: 7 INVITE',
      'Contact: <sip:member@192.0.2.7>',
      'Content-Length: 0',
    ]),
  ) as SipResponse;
  const dialog = Dialog.asUac(invite, ok)!;

  it('takes the route set in reverse, and strict-routes when its first URI has no lr', () => {
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p2.example.net', 'sip:p1.example.net;lr']);
    const bye = dialog.request('BYE', { via: VIA });
    // §12.2.1.1: the first route becomes the Request-URI and the remote target the last Route.
    expect(formatUri(bye.uri)).toBe('sip:p2.example.net');
    expect(getHeaders(bye, 'route')).toEqual(['<sip:p1.example.net;lr>', '<sip:member@192.0.2.7>']);
    expect(getHeader(bye, 'cseq')).toBe('8 BYE');
    expect(responseDialogKey(ok)).toBe(dialog.key);
  });
});
