/**
 * A CF with members and an originator played by the `sip` package, all on loopback over one
 * transport: what most integration tests start from.
 */
import type sip from 'sip';
import type { ConfigInput } from '../../runtime/config.ts';
import type { TimerScheduler } from '../../runtime/timers.ts';
import { startTestCf, type TestCf } from './cf-harness.ts';
import type { GroupSpec } from './groups.ts';
import { accepting } from './members.ts';
import { OriginatorCall, type InviteOptions } from './originator.ts';
import { SipPeer, type Behaviour, type Transport } from './sip-peer.ts';
import { waitFor } from './wait-for.ts';

export const FRIENDS = 'sip:friends@cpm.example.net';
export const ANONYMOUS_OK = 'sip:anonymous-ok@cpm.example.net';

export interface Rig {
  readonly test: TestCf;
  readonly members: SipPeer[];
  readonly originator: SipPeer;
  call(options?: Partial<InviteOptions>): OriginatorCall;
  /** Waits until the CF holds no session and the relay no media session. */
  settled(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly config?: ConfigInput;
  readonly scheduler?: TimerScheduler;
  /** Extra groups, given the members. */
  readonly groups?: (members: SipPeer[]) => GroupSpec[];
}

export async function startRig(transport: Transport, behaviours: Behaviour[], options: RigOptions = {}): Promise<Rig> {
  const names = ['alice', 'bob', 'carol', 'dave'];
  const members = await Promise.all(behaviours.map((b, i) => SipPeer.start(names[i] ?? `m${i}`, transport, b)));
  const originator = await SipPeer.start('sender', transport, accepting());
  const uris = members.map((m) => m.uri);
  const test = await startTestCf(
    [{ uri: FRIENDS, members: uris }, { uri: ANONYMOUS_OK, members: uris, anonymity: true }, ...(options.groups?.(members) ?? [])],
    options.config,
    options.scheduler,
  );
  return {
    test,
    members,
    originator,
    call: (invite = {}) => new OriginatorCall(originator, test.cf.sipPort, { group: FRIENDS, ...invite }),
    settled: (ms = 5000) => waitFor(() => (test.cf.stats().sessions === 0 && test.relay.openSessions === 0 ? true : undefined), 'the session to be released', ms).then(() => undefined),
    close: async () => {
      await test.close();
      for (const peer of [...members, originator]) peer.close();
    },
  };
}

/** The member's BYE in the dialog the CF's INVITE created (the member is the UAS of that dialog). */
export function memberBye(member: SipPeer, invite: sip.Message): Promise<sip.Message> {
  const target = invite.headers.contact?.[0]?.uri ?? '';
  const bye: sip.Message = {
    method: 'BYE',
    uri: member.transport === 'tcp' ? `${target};transport=tcp` : target,
    headers: {
      to: invite.headers.from,
      from: { uri: invite.headers.to?.uri ?? '', params: { tag: member.tagFor(invite) } },
      'call-id': invite.headers['call-id'],
      cseq: { seq: 1, method: 'BYE' },
      'max-forwards': '70',
    },
  };
  const responses: sip.Message[] = [];
  member.send(bye, (response) => responses.push(response));
  return waitFor(() => responses.find((r) => (r.status ?? 0) >= 200), 'final response to the member BYE', 5000);
}
