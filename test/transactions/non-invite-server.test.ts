import { describe, expect, it } from 'vitest';
import { nonInviteServerTransaction } from '../../machines/transactions/non-invite-server.ts';
import { TCP, TERMINATED, TRANSPORT_ERROR, UDP, discard, run, start, toTU, transmit, transmitResponse } from './harness.ts';

const trying = (input = UDP) => run(nonInviteServerTransaction, input);

function proceeding(input = UDP) {
  const nist = trying(input);
  nist.send({ type: 'SEND_RESPONSE', status: 100 });
  return nist;
}

function completed(input = UDP) {
  const nist = proceeding(input);
  nist.send({ type: 'SEND_RESPONSE', status: 200 });
  return nist;
}

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  describe('when constructed for a request other than INVITE or ACK', () => {
    it('is initialized in Trying and passes the request up to the TU', () => {
      const nist = trying();
      expect(nist.state()).toBe('trying');
      expect(nist.created).toEqual([toTU('request')]);
    });
  });

  describe('in Trying', () => {
    it('discards request retransmissions', () => {
      const nist = trying();
      expect(nist.send({ type: 'REQUEST' })).toEqual([discard('request')]);
      expect(nist.state()).toBe('trying');
    });

    it('on a provisional response from the TU, MUST enter Proceeding and pass the response to the transport', () => {
      const nist = trying();
      expect(nist.send({ type: 'SEND_RESPONSE', status: 100 })).toEqual([transmitResponse(100)]);
      expect(nist.state()).toBe('proceeding');
    });

    it('on a final response from the TU, passes it to the transport and enters Completed, setting Timer J to 64*T1 (unreliable)', () => {
      const nist = trying(UDP);
      expect(nist.send({ type: 'SEND_RESPONSE', status: 405 })).toEqual([transmitResponse(405), start('J', 32_000)]);
      expect(nist.state()).toBe('completed');
    });
  });

  describe('in Proceeding', () => {
    it('MUST pass further provisional responses from the TU to the transport', () => {
      expect(proceeding().send({ type: 'SEND_RESPONSE', status: 101 })).toEqual([transmitResponse(101)]);
    });

    it('on a request retransmission, MUST pass the most recently sent provisional response to the transport again', () => {
      expect(proceeding().send({ type: 'REQUEST' })).toEqual([transmit('lastResponse')]);
    });

    it('on a final response from the TU, MUST enter Completed and pass the response to the transport', () => {
      const nist = proceeding(UDP);
      expect(nist.send({ type: 'SEND_RESPONSE', status: 202 })).toEqual([transmitResponse(202), start('J', 32_000)]);
      expect(nist.state()).toBe('completed');
    });

    it('on a transport error, SHOULD inform the TU and MUST remain in the current state (§17.2.4 as rewritten by RFC 6026 §8.8)', () => {
      const nist = proceeding();
      expect(nist.send({ type: 'TRANSPORT_ERROR' })).toEqual([TRANSPORT_ERROR]);
      expect(nist.state()).toBe('proceeding');
    });
  });

  describe('in Completed', () => {
    it('MUST pass the final response to the transport again whenever the request is retransmitted', () => {
      expect(completed().send({ type: 'REQUEST' }, { type: 'REQUEST' })).toEqual([transmit('lastResponse'), transmit('lastResponse')]);
    });

    it('MUST discard any other final response the TU passes', () => {
      const nist = completed();
      expect(nist.send({ type: 'SEND_RESPONSE', status: 500 })).toEqual([discard('response')]);
      expect(nist.state()).toBe('completed');
    });

    it('on a transport error, informs the TU and remains in Completed', () => {
      expect(completed().send({ type: 'TRANSPORT_ERROR' })).toEqual([TRANSPORT_ERROR]);
    });

    it('when Timer J fires, MUST transition to Terminated', () => {
      const nist = completed();
      expect(nist.send({ type: 'TIMER_J' })).toEqual([TERMINATED]);
      expect(nist.done()).toBe(true);
    });

    it('over a reliable transport, Timer J is zero seconds, so the final response terminates the transaction', () => {
      const nist = trying(TCP);
      expect(nist.send({ type: 'SEND_RESPONSE', status: 200 })).toEqual([transmitResponse(200), TERMINATED]);
      expect(nist.done()).toBe(true);
    });
  });
});
