import { describe, expect, it } from 'vitest';
import { nonInviteClientTransaction } from '../../machines/transactions/non-invite-client.ts';
import {
  TCP,
  TERMINATED,
  TIMEOUT,
  TRANSPORT_ERROR,
  UDP,
  cancel,
  discard,
  responseToTU,
  run,
  start,
  transmit,
} from './harness.ts';

const trying = (input = UDP) => run(nonInviteClientTransaction, input);

function proceeding(input = UDP) {
  const nict = trying(input);
  nict.send({ type: 'RESPONSE', status: 100 });
  return nict;
}

describe('non-INVITE client transaction (RFC 3261 §17.1.2.2)', () => {
  describe('when the TU initiates it with a request', () => {
    it('enters Trying, MUST pass the request to the transport, set Timer E to T1 and SHOULD set Timer F to 64*T1 (unreliable transport)', () => {
      const nict = trying(UDP);
      expect(nict.state()).toBe('trying');
      expect(nict.created).toEqual([transmit('request'), start('E', 500), start('F', 32_000)]);
    });

    it('sets no Timer E over a reliable transport', () => {
      expect(trying(TCP).created).toEqual([transmit('request'), start('F', 32_000)]);
    });
  });

  describe('in Trying', () => {
    it('when Timer E fires, retransmits the request with intervals of 500 ms, 1 s, 2 s, 4 s, 4 s (MIN(2*previous, T2))', () => {
      const nict = trying(UDP);
      for (const ms of [1_000, 2_000, 4_000, 4_000, 4_000]) {
        expect(nict.send({ type: 'TIMER_E' })).toEqual([transmit('request'), start('E', ms)]);
      }
    });

    it('caps the backoff at the configured T2', () => {
      const nict = trying({ reliable: false, t1: 500, t2: 1_500 });
      expect(nict.send({ type: 'TIMER_E' }, { type: 'TIMER_E' })).toEqual([
        transmit('request'),
        start('E', 1_000),
        transmit('request'),
        start('E', 1_500),
      ]);
    });

    it('when Timer F fires, SHOULD inform the TU of the timeout and then enter Terminated', () => {
      const nict = trying(UDP);
      expect(nict.send({ type: 'TIMER_F' })).toEqual([cancel('E'), TIMEOUT, TERMINATED]);
      expect(nict.done()).toBe(true);
    });

    it('on a transport error, SHOULD inform the TU and move directly to Terminated (§17.1.4)', () => {
      expect(trying(TCP).send({ type: 'TRANSPORT_ERROR' })).toEqual([cancel('F'), TRANSPORT_ERROR, TERMINATED]);
    });

    it('on a provisional response, MUST pass it to the TU and SHOULD move to Proceeding, still retransmitting', () => {
      const nict = trying(UDP);
      expect(nict.send({ type: 'RESPONSE', status: 100 })).toEqual([responseToTU(100)]);
      expect(nict.state()).toBe('proceeding');
    });

    it('on a final response (200-699), MUST pass it to the TU and transition to Completed, setting Timer K to T4', () => {
      const nict = trying(UDP);
      expect(nict.send({ type: 'RESPONSE', status: 200 })).toEqual([cancel('E'), cancel('F'), responseToTU(200), start('K', 5_000)]);
      expect(nict.state()).toBe('completed');
    });
  });

  describe('in Proceeding', () => {
    it('when Timer E fires, MUST retransmit the request and reset Timer E to T2', () => {
      const nict = trying(UDP);
      nict.send({ type: 'TIMER_E' });
      nict.send({ type: 'RESPONSE', status: 180 });
      expect(nict.send({ type: 'TIMER_E' }, { type: 'TIMER_E' })).toEqual([
        transmit('request'),
        start('E', 4_000),
        transmit('request'),
        start('E', 4_000),
      ]);
    });

    it('passes further provisional responses to the TU', () => {
      expect(proceeding().send({ type: 'RESPONSE', status: 199 })).toEqual([responseToTU(199)]);
    });

    it('when Timer F fires, MUST inform the TU of a timeout and transition to Terminated', () => {
      const nict = proceeding();
      expect(nict.send({ type: 'TIMER_F' })).toEqual([cancel('E'), TIMEOUT, TERMINATED]);
      expect(nict.done()).toBe(true);
    });

    it('on a transport error, informs the TU and terminates', () => {
      expect(proceeding().send({ type: 'TRANSPORT_ERROR' })).toEqual([cancel('E'), cancel('F'), TRANSPORT_ERROR, TERMINATED]);
    });

    it('on a final response, MUST pass it to the TU and transition to Completed', () => {
      const nict = proceeding();
      expect(nict.send({ type: 'RESPONSE', status: 404 })).toEqual([cancel('E'), cancel('F'), responseToTU(404), start('K', 5_000)]);
      expect(nict.state()).toBe('completed');
    });
  });

  describe('in Completed', () => {
    it('buffers response retransmissions: none reaches the TU', () => {
      const nict = trying(UDP);
      nict.send({ type: 'RESPONSE', status: 200 });
      expect(nict.send({ type: 'RESPONSE', status: 200 })).toEqual([discard('response')]);
      expect(nict.state()).toBe('completed');
    });

    it('when Timer K fires, MUST transition to Terminated', () => {
      const nict = trying(UDP);
      nict.send({ type: 'RESPONSE', status: 500 });
      expect(nict.send({ type: 'TIMER_K' })).toEqual([TERMINATED]);
      expect(nict.done()).toBe(true);
    });

    it('over a reliable transport, Timer K is zero seconds, so the transaction terminates on the final response', () => {
      const nict = trying(TCP);
      expect(nict.send({ type: 'RESPONSE', status: 200 })).toEqual([cancel('F'), responseToTU(200), TERMINATED]);
      expect(nict.done()).toBe(true);
    });
  });
});
