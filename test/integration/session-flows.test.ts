/**
 * Whole sessions on real sockets, UDP and TCP, with the originator and three members played by the
 * `sip` package: the success path (INV-7 … INV-10, OK-1 … OK-7, ACK-1, BYE-1 … BYE-3), anonymity
 * (Q13), a member leaving (Q10), nobody accepting (Q7), CANCEL (Q8) and late 200 OKs (Q6).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type sip from 'sip';
import { parseMsrpSdp } from '../../runtime/sdp.ts';
import { accepting, memberAnswerSdp, rejecting, ringing } from '../support/members.ts';
import { ANONYMOUS_OK, FRIENDS, memberBye, startRig, type Rig } from '../support/session-rig.ts';
import type { OriginatorCall } from '../support/originator.ts';
import type { Transport } from '../support/sip-peer.ts';
import { waitFor } from '../support/wait-for.ts';

const FEATURE = '+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg"';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** RFC 3261 §9.1: a CANCEL is sent only once the INVITE drew a provisional response. */
async function cancelAfterTrying(call: OriginatorCall) {
  await waitFor(() => (call.responses.some((r) => r.status === 100) ? true : undefined), '100 Trying', 2000);
  return call.cancel();
}

function media(message: sip.Message) {
  const parsed = parseMsrpSdp(message.content ?? '');
  if (!parsed.ok || parsed.media === null) throw new Error(`no MSRP media in ${message.content}`);
  return parsed.media;
}

describe.each<Transport>(['udp', 'tcp'])('a session over %s', (transport) => {
  it('success with three members: 200 OK with isfocus, an INVITE per member as TS 9.1.2.X says, BYE to all', async () => {
    rig = await startRig(transport, [accepting(), accepting(20), accepting(40)]);
    const call = rig.call({ headers: { 'contribution-id': 'contrib-1', 'conversation-id': 'conv-1' } });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    expect(ok.headers.contact?.[0]?.params).toHaveProperty('isfocus');
    expect(ok.headers.server).toBe('CPM-serv/OMA1.0');
    expect(ok.headers.allow).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE');
    const answer = media(ok);
    // Q4: the CF anchors the media: its own path, the first member's accept-types.
    expect(answer.path[0]).toMatch(new RegExp(`^${rig.test.relay.authority}/[\\w-]+-o;tcp$`));
    expect(answer.acceptTypes).toEqual(['message/cpim', 'application/octet-stream']);
    call.ack(ok);

    for (const [leg, member] of rig.members.entries()) {
      const invite = await member.waitForRequest('INVITE');
      expect(invite.headers.via?.[0]?.protocol).toBe(transport.toUpperCase());
      expect(invite.uri).toBe(member.uri);
      expect(invite.headers.to?.uri).toBe(member.uri);
      expect(invite.headers.from?.uri).toBe('sip:sender@127.0.0.1');
      expect(invite.headers['p-asserted-identity']).toBe(`<${FRIENDS}>`);
      expect(invite.headers['referred-by']).toBe('<sip:sender@127.0.0.1>');
      expect(invite.headers['accept-contact']).toBe(`*;${FEATURE}`);
      expect(invite.headers.contact?.[0]?.params).toMatchObject({ isfocus: null, '+g.3gpp.icsi-ref': '"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg"' });
      expect(invite.headers['contribution-id']).toBe('contrib-1');
      expect(invite.headers['conversation-id']).toBe('conv-1');
      expect(invite.headers['user-agent']).toBe('CPM-serv/OMA1.0');
      const offer = media(invite);
      expect(offer.path).toEqual([`${rig.test.relay.authority}/${answer.path[0]!.split('/')[3]!.replace(/-o;tcp$/, '')}-m${leg};tcp`]);
      expect(offer.setup).toBe('actpass');
      expect(offer.otherAttributes).toContain('file-selector:name:"report.pdf" type:application/pdf size:1024');
      await member.waitForRequest('ACK');
    }
    // ACK-1: the CF connects to every member that accepted.
    const session = rig.test.relay.sessions[0]!;
    await waitFor(() => (session.calls.filter((c) => c.method === 'connectMember').length === 3 ? true : undefined), 'three member connections', 2000);

    const byeAnswer = await call.request('BYE', ok);
    expect(byeAnswer.status).toBe(200);
    for (const member of rig.members) await member.waitForRequest('BYE');
    await rig.settled();
    expect(session.released).toBe(true);
  });

  it('Q13: members of an allowed anonymous originator see "Anonymous", the group as asserted identity, no Referred-By', async () => {
    rig = await startRig(transport, [accepting(), accepting()]);
    const call = rig.call({ group: ANONYMOUS_OK, headers: { privacy: 'id' } });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    call.ack(ok);
    for (const member of rig.members) {
      const invite = await member.waitForRequest('INVITE');
      expect(invite.headers.from).toMatchObject({ name: '"Anonymous"', uri: 'sip:anonymous@anonymous.invalid' });
      expect(invite.headers['p-asserted-identity']).toBe(`<${ANONYMOUS_OK}>`);
      expect(invite.headers['referred-by']).toBeUndefined();
      expect(JSON.stringify(invite)).not.toContain('sender@');
    }
    await call.request('BYE', ok);
    await rig.settled();
  });

  it('Q10: a member that leaves gets 200 and the others stay; when the last leaves the CF sends BYE to the originator', async () => {
    rig = await startRig(transport, [accepting(), accepting()]);
    const call = rig.call();
    const ok = await call.final();
    call.ack(ok);
    const [alice, bob] = rig.members as [typeof rig.members[0], typeof rig.members[0]];
    const aliceInvite = await alice.waitForRequest('ACK').then(() => alice.received('INVITE')[0]!);
    const bobInvite = await bob.waitForRequest('ACK').then(() => bob.received('INVITE')[0]!);
    expect((await memberBye(alice, aliceInvite)).status).toBe(200);
    expect(rig.test.cf.stats().sessions).toBe(1);
    expect(rig.originator.received('BYE')).toHaveLength(0);
    expect((await memberBye(bob, bobInvite)).status).toBe(200);
    await rig.originator.waitForRequest('BYE');
    await rig.settled();
  });

  it('Q7: when every member declines, the originator gets 480 with Warning "No member accepted"', async () => {
    rig = await startRig(transport, [rejecting(486, 'Busy Here'), rejecting(603, 'Decline'), rejecting(404, 'Not Found')]);
    const final = await rig.call().final();
    expect([final.status, final.reason]).toEqual([480, 'Temporarily Unavailable']);
    expect(final.headers.warning).toMatch(/^399 127\.0\.0\.1:\d+ "No member accepted"$/);
    await rig.settled();
  });

  it('Q8: CANCEL before any answer: 200 for the CANCEL, 487 for the INVITE, CANCEL to every ringing member', async () => {
    rig = await startRig(transport, [ringing(), ringing(), ringing()]);
    const call = rig.call();
    for (const member of rig.members) await member.waitForRequest('INVITE');
    expect((await cancelAfterTrying(call)).status).toBe(200);
    expect((await call.final()).status).toBe(487);
    for (const member of rig.members) await member.waitForRequest('CANCEL');
    await rig.settled();
  });

  it('Q6: a member that accepts after the session started is ACKed and connected', async () => {
    rig = await startRig(transport, [accepting(), accepting(400)]);
    const call = rig.call();
    const ok = await call.final();
    call.ack(ok);
    const late = rig.members[1]!;
    await late.waitForRequest('ACK');
    const session = rig.test.relay.sessions[0]!;
    await waitFor(() => (session.calls.some((c) => c.method === 'connectMember' && c.leg === 1) ? true : undefined), 'the late member connected', 2000);
    await call.request('BYE', ok);
    await late.waitForRequest('BYE');
    await rig.settled();
  });

  it('RFC 3261 §13.2.2.4: a 200 OK that crosses the CANCEL is ACKed and ended with BYE', async () => {
    rig = await startRig(transport, [
      (request, peer) => {
        // This member answers the CANCEL's INVITE with 200 instead of 487, as a race on the wire would.
        if (request.method === 'INVITE') peer.respond(request, 180, 'Ringing');
        if (request.method === 'CANCEL') {
          const invite = peer.received('INVITE')[0]!;
          peer.respond(invite, 200, 'OK', { headers: { contact: peer.contact, 'content-type': 'application/sdp' }, content: memberAnswerSdp(peer) });
          peer.respond(request, 200, 'OK');
        }
        if (request.method === 'BYE') peer.respond(request, 200, 'OK');
      },
    ]);
    const call = rig.call();
    const member = rig.members[0]!;
    await member.waitForRequest('INVITE');
    await cancelAfterTrying(call);
    expect((await call.final()).status).toBe(487);
    await member.waitForRequest('ACK');
    await member.waitForRequest('BYE');
    await rig.settled();
  });

  it('RFC 3261 §13.2.2.4: a 200 OK arriving after the leg was given up (no answer to the CANCEL in 64*T1) is ACKed and ended with BYE', async () => {
    rig = await startRig(
      transport,
      [
        (request, peer) => {
          // This member ignores the CANCEL and accepts long after the CF gave the leg up.
          if (request.method === 'INVITE') {
            peer.respond(request, 180, 'Ringing');
            setTimeout(() => peer.respond(request, 200, 'OK', { headers: { contact: peer.contact, 'content-type': 'application/sdp' }, content: memberAnswerSdp(peer) }), 1500);
          }
          if (request.method === 'BYE') peer.respond(request, 200, 'OK');
        },
      ],
      { config: { timers: { t1: 20, t2: 80 } } },
    );
    const call = rig.call();
    const member = rig.members[0]!;
    await member.waitForRequest('INVITE');
    await cancelAfterTrying(call);
    expect((await call.final()).status).toBe(487);
    await member.waitForRequest('CANCEL');
    await rig.settled();
    await member.waitForRequest('ACK', 5000);
    await member.waitForRequest('BYE', 5000);
  });

  it('RFC 3261 §13.2.2.4: a 200 OK from a second fork is ACKed and its dialog ended, the first one kept', async () => {
    rig = await startRig(transport, [
      (request, peer) => {
        if (request.method === 'BYE') peer.respond(request, 200, 'OK');
        if (request.method !== 'INVITE') return;
        const sdp = `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message ${peer.port} TCP/MSRP *\r\na=path:msrp://127.0.0.1:${peer.port}/f;tcp\r\n`;
        peer.respond(request, 200, 'OK', { headers: { contact: peer.contact, 'content-type': 'application/sdp' }, content: sdp });
        peer.respond(request, 200, 'OK', { headers: { to: { ...request.headers.to!, params: { tag: 'second-fork' } }, contact: peer.contact, 'content-type': 'application/sdp' }, content: sdp });
      },
    ]);
    const call = rig.call();
    const ok = await call.final();
    call.ack(ok);
    const member = rig.members[0]!;
    const byes = () => member.received('BYE');
    await waitFor(() => (byes().length > 0 ? true : undefined), 'BYE of the second fork', 3000);
    expect(byes().map((b) => b.headers.to?.params.tag)).toEqual(['second-fork']);
    expect(member.received('ACK').length).toBeGreaterThanOrEqual(2);
    await call.request('BYE', ok);
    await waitFor(() => (byes().length === 2 ? true : undefined), 'BYE of the first dialog', 3000);
    await rig.settled();
  });
});
