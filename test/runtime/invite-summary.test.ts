import { describe, expect, it } from 'vitest';
import { summariseInvite } from '../../runtime/invite-summary.ts';
import type { SipRequest } from '../../runtime/sip/message.ts';
import { parseOk, wire } from '../sip/fixtures.ts';

function invite(...extra: string[]): SipRequest {
  return parseOk(
    wire([
      'INVITE sip:Friends@cpm.example.net;transport=udp SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1',
      'From: <sip:sender@example.net>;tag=1',
      'To: <sip:friends@cpm.example.net>',
      'Call-ID: s1',
      'CSeq: 1 INVITE',
      ...extra,
      'Content-Length: 0',
    ]),
  ) as SipRequest;
}

const source = { protocol: 'udp' as const, address: '192.0.2.1', port: 5060 };
const trusted = () => true;

describe('summariseInvite', () => {
  it('takes the group from the Request-URI without its parameters', () => {
    expect(summariseInvite(invite(), source, trusted, null).groupUri).toBe('sip:Friends@cpm.example.net');
  });

  it('Q3: believes P-Asserted-Identity only from a trusted hop, and prefers its SIP URI to its tel URI', () => {
    const request = invite('P-Asserted-Identity: <tel:+15551234567>, "S" <sip:sender@example.net;user=phone>');
    expect(summariseInvite(request, source, trusted, null).authenticatedOriginator).toBe('sip:sender@example.net');
    expect(summariseInvite(request, source, () => false, null).authenticatedOriginator).toBeNull();
    expect(summariseInvite(invite('P-Asserted-Identity: <tel:+15551234567>'), source, trusted, null).authenticatedOriginator).toBe('tel:+15551234567');
    expect(summariseInvite(invite(), source, trusted, null).authenticatedOriginator).toBeNull();
  });

  it('reads privacy (RFC 3323), RFC 4028 headers and timer support', () => {
    const summary = summariseInvite(invite('Privacy: none', 'Privacy: user;critical', 'Session-Expires: 1800;refresher=uas', 'Min-SE: 120', 'Require: Timer', 'User-Agent: CPM-client/OMA1.0'), source, trusted, null);
    expect(summary).toMatchObject({ anonymityRequested: true, sessionExpires: { interval: 1800, refresher: 'uas' }, minSe: 120, supportsTimer: true, userAgent: 'CPM-client/OMA1.0' });
    expect(summariseInvite(invite('Privacy: none'), source, trusted, null)).toMatchObject({ anonymityRequested: false, sessionExpires: null, minSe: null, supportsTimer: false, userAgent: null });
  });
});
