/**
 * INV-6 and open question 12 on the wire: the 200 OK's Session-Expires, refreshes by the originator
 * (UPDATE and re-INVITE) answered with 200, the CF refreshing with UPDATE when it is the refresher,
 * and the session ended with BYE on every leg when it expires. RFC 4028's intervals (90 s at least)
 * are shortened by the test's scheduler; the behaviour is the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accepting } from '../support/members.ts';
import { originatorOfferSdp } from '../support/originator.ts';
import { scaledScheduler } from '../support/scaled-scheduler.ts';
import { startRig, type Rig } from '../support/session-rig.ts';
import type { Transport } from '../support/sip-peer.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe.each<Transport>(['udp', 'tcp'])('session timers over %s', (transport) => {
  it('the originator refreshes: Require: timer in the 200 OK, and its UPDATE and re-INVITE answered 200 with the interval', async () => {
    rig = await startRig(transport, [accepting()]);
    const call = rig.call({ headers: { 'session-expires': '1800;refresher=uac', supported: 'timer' } });
    const ok = await call.final();
    expect(ok.headers['session-expires']).toBe('1800;refresher=uac');
    expect(ok.headers.require).toBe('timer');
    call.ack(ok);
    await rig.members[0]!.waitForRequest('ACK');

    const update = await call.request('UPDATE', ok, { 'session-expires': '1800;refresher=uac', supported: 'timer' });
    expect([update.status, update.headers['session-expires'], update.headers.require]).toEqual([200, '1800;refresher=uac', 'timer']);
    const reinvite = await call.request('INVITE', ok, { 'session-expires': '1800;refresher=uac', supported: 'timer', 'content-type': 'application/sdp' }, originatorOfferSdp());
    expect([reinvite.status, reinvite.headers['session-expires']]).toEqual([200, '1800;refresher=uac']);
    expect(reinvite.content).toBe(ok.content);
    call.ack(reinvite);
    expect(rig.originator.received('BYE')).toHaveLength(0);
    await call.request('BYE', ok);
    await rig.settled();
  });

  it('the CF refreshes with UPDATE when the originator does not support timers (RFC 4028 §9)', async () => {
    rig = await startRig(transport, [accepting()], { scheduler: scaledScheduler(1 / 200, ['sessionRefresh', 'sessionExpiry']) });
    const call = rig.call({ headers: { 'session-expires': '90' } });
    const ok = await call.final();
    expect(ok.headers['session-expires']).toBe('90;refresher=uas');
    expect(ok.headers.require).toBeUndefined();
    call.ack(ok);
    const update = await rig.originator.waitForRequest('UPDATE');
    expect(update.headers['session-expires']).toBe('90;refresher=uas');
    expect(update.headers['call-id']).toBe(call.invite.headers['call-id']);
    await call.request('BYE', ok);
    await rig.settled();
  });

  it('an originator that does not refresh in time loses the session: BYE to it and to every member (RFC 4028 §10)', async () => {
    rig = await startRig(transport, [accepting(), accepting()], { scheduler: scaledScheduler(1 / 200, ['sessionExpiry']) });
    const call = rig.call({ headers: { 'session-expires': '90;refresher=uac', supported: 'timer' } });
    const ok = await call.final();
    call.ack(ok);
    await rig.originator.waitForRequest('BYE');
    for (const member of rig.members) await member.waitForRequest('BYE');
    await rig.settled();
  });
});
