import { describe, expect, it } from 'vitest';
import { inviteServerTransaction } from '../../machines/transactions/invite-server.ts';
import {
  TCP,
  TERMINATED,
  TIMEOUT,
  TRANSPORT_ERROR,
  UDP,
  cancel,
  discard,
  run,
  start,
  toTU,
  transmit,
  transmitResponse,
} from './harness.ts';

const proceeding = (input = UDP) => run(inviteServerTransaction, input);

function completed(input = UDP) {
  const ist = proceeding(input);
  ist.send({ type: 'SEND_RESPONSE', status: 486 });
  return ist;
}

function accepted(input = UDP) {
  const ist = proceeding(input);
  ist.send({ type: 'SEND_RESPONSE', status: 200 });
  return ist;
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §8.5-§8.8)', () => {
  describe('when constructed for an INVITE', () => {
    it('enters Proceeding, generates a 100 (Trying), and MUST pass the request to the TU', () => {
      const ist = proceeding();
      expect(ist.state()).toBe('proceeding');
      expect(ist.created).toEqual([transmit('trying'), toTU('request')]);
    });
  });

  describe('in Proceeding', () => {
    it('MUST pass each provisional response from the TU to the transport, without changing state', () => {
      const ist = proceeding();
      expect(ist.send({ type: 'SEND_RESPONSE', status: 180 }, { type: 'SEND_RESPONSE', status: 183 })).toEqual([
        transmitResponse(180),
        transmitResponse(183),
      ]);
      expect(ist.state()).toBe('proceeding');
    });

    it('on a request retransmission, MUST pass the most recent provisional response to the transport again', () => {
      expect(proceeding().send({ type: 'REQUEST' })).toEqual([transmit('lastResponse')]);
    });

    it('on a 2xx from the TU, MUST pass it to the transport (once) and transition to Accepted, setting Timer L to 64*T1 (RFC 6026 §8.5, §8.7)', () => {
      const ist = proceeding(TCP);
      expect(ist.send({ type: 'SEND_RESPONSE', status: 200 })).toEqual([transmitResponse(200), start('L', 32_000)]);
      expect(ist.state()).toBe('accepted');
    });

    it('on a 300-699 from the TU, MUST pass it to the transport and enter Completed, with Timer G = T1 and Timer H = 64*T1 (unreliable)', () => {
      const ist = proceeding(UDP);
      expect(ist.send({ type: 'SEND_RESPONSE', status: 603 })).toEqual([transmitResponse(603), start('G', 500), start('H', 32_000)]);
      expect(ist.state()).toBe('completed');
    });

    it('sets no Timer G over a reliable transport, but Timer H for all transports', () => {
      expect(proceeding(TCP).send({ type: 'SEND_RESPONSE', status: 404 })).toEqual([transmitResponse(404), start('H', 32_000)]);
    });

    it('on a transport error, SHOULD inform the TU and MUST remain in the current state (RFC 6026 §8.8)', () => {
      const ist = proceeding();
      expect(ist.send({ type: 'TRANSPORT_ERROR' })).toEqual([TRANSPORT_ERROR]);
      expect(ist.state()).toBe('proceeding');
    });
  });

  describe('in Completed', () => {
    it('when Timer G fires, passes the response to the transport again, with intervals that double up to T2', () => {
      const ist = completed(UDP);
      for (const ms of [1_000, 2_000, 4_000, 4_000]) {
        expect(ist.send({ type: 'TIMER_G' })).toEqual([transmit('lastResponse'), start('G', ms)]);
      }
    });

    it('on a request retransmission, SHOULD pass the response to the transport again', () => {
      expect(completed().send({ type: 'REQUEST' })).toEqual([transmit('lastResponse')]);
    });

    it('on an ACK, MUST transition to Confirmed, where Timer G no longer fires, and set Timer I to T4 (unreliable)', () => {
      const ist = completed(UDP);
      expect(ist.send({ type: 'ACK' })).toEqual([cancel('G'), cancel('H'), start('I', 5_000)]);
      expect(ist.state()).toBe('confirmed');
    });

    it('when Timer H fires, MUST transition to Terminated and indicate a transaction failure to the TU', () => {
      const ist = completed(UDP);
      expect(ist.send({ type: 'TIMER_H' })).toEqual([cancel('G'), TIMEOUT, TERMINATED]);
      expect(ist.done()).toBe(true);
    });

    it('on a transport error, informs the TU and MUST remain in Completed (RFC 6026 §8.8)', () => {
      const ist = completed();
      expect(ist.send({ type: 'TRANSPORT_ERROR' })).toEqual([TRANSPORT_ERROR]);
      expect(ist.state()).toBe('completed');
    });
  });

  describe('in Confirmed', () => {
    it('absorbs additional ACKs', () => {
      const ist = completed(UDP);
      ist.send({ type: 'ACK' });
      expect(ist.send({ type: 'ACK' })).toEqual([discard('ack')]);
      expect(ist.state()).toBe('confirmed');
    });

    it('when Timer I fires, MUST transition to Terminated', () => {
      const ist = completed(UDP);
      ist.send({ type: 'ACK' });
      expect(ist.send({ type: 'TIMER_I' })).toEqual([TERMINATED]);
      expect(ist.done()).toBe(true);
    });

    it('over a reliable transport, Timer I is zero seconds, so the ACK terminates the transaction', () => {
      const ist = completed(TCP);
      expect(ist.send({ type: 'ACK' })).toEqual([cancel('H'), TERMINATED]);
      expect(ist.done()).toBe(true);
    });
  });

  describe('in Accepted (RFC 6026 §8.7)', () => {
    it('absorbs INVITE retransmissions without passing them to the TU', () => {
      expect(accepted().send({ type: 'REQUEST' })).toEqual([discard('request')]);
    });

    it('passes an ACK up to the TU', () => {
      expect(accepted().send({ type: 'ACK' }, { type: 'ACK' })).toEqual([toTU('ack'), toTU('ack')]);
    });

    it('MUST pass a 2xx the TU retransmits to the transport layer', () => {
      expect(accepted().send({ type: 'SEND_RESPONSE', status: 200 })).toEqual([transmitResponse(200)]);
    });

    it('on a transport error, informs the TU and MUST remain in Accepted', () => {
      const ist = accepted();
      expect(ist.send({ type: 'TRANSPORT_ERROR' })).toEqual([TRANSPORT_ERROR]);
      expect(ist.state()).toBe('accepted');
    });

    it('when Timer L fires, MUST transition to Terminated', () => {
      const ist = accepted();
      expect(ist.send({ type: 'TIMER_L' })).toEqual([TERMINATED]);
      expect(ist.done()).toBe(true);
    });
  });
});
