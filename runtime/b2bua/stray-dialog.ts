/**
 * A 2xx to an INVITE that nobody wants any more — it crossed a CANCEL after the leg was given up,
 * it came from a second fork, or it arrived after the session ended. RFC 3261 §13.2.2.4: "The UAC
 * core MUST generate an ACK request for each 2xx received from the transaction layer", and §15: a
 * dialog the UAC does not want is ended with BYE. So the dialog the 2xx created is built, ACKed and
 * ended, with no session behind it.
 */
import { Dialog } from '../sip/dialog.ts';
import type { SipRequest, SipResponse } from '../sip/message.ts';
import { cseqOf } from '../sip/transaction-keys.ts';
import type { TransportProtocol } from '../sip/transport-types.ts';
import type { Signalling } from './signalling.ts';

/**
 * @param invite the INVITE the 2xx answers (the CF's own), or undefined when it is no longer known:
 *   then the 2xx itself describes the dialog (From is the CF's side, To the peer's).
 */
export function endStrayDialog(signalling: Signalling, response: SipResponse, invite: SipRequest | undefined, protocol: TransportProtocol): void {
  const dialog = Dialog.asUac(invite ?? requestShape(response), response);
  if (dialog === undefined) {
    signalling.logger.debug({ status: response.status }, 'stray 2xx without tags: dropped');
    return;
  }
  const plan = signalling.plan(dialog.remoteTarget, dialog.routeSet);
  const contact = signalling.contact(false);
  signalling
    .destination(plan.hop, protocol)
    .then((destination) => {
      signalling.layer.sendAck(dialog.request('ACK', { via: signalling.via(destination.protocol), cseq: cseqOf(response).seq, contact, headers: plan.preloaded }), destination);
      const bye = dialog.request('BYE', { via: signalling.via(destination.protocol), contact, headers: plan.preloaded });
      signalling.layer.sendRequest(bye, destination, { onResponse: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined });
      signalling.logger.info({ callId: dialog.callId }, 'stray 2xx ACKed and ended with BYE (RFC 3261 §13.2.2.4)');
    })
    .catch((error: unknown) => signalling.logger.debug({ err: error }, 'stray 2xx cannot be ACKed: no route'));
}

// The 2xx copies From, To, Call-ID and CSeq of its INVITE (RFC 3261 §8.2.6.2), which is all the
// UAC side of a dialog takes from the request; without its Contact there is no target to reach.
function requestShape(response: SipResponse): SipRequest {
  return { kind: 'request', method: 'INVITE', uri: { kind: 'absolute', scheme: 'unknown', opaque: '' }, headers: response.headers, body: Buffer.alloc(0) };
}
