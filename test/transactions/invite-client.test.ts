import { describe, expect, it } from 'vitest';
import { inviteClientTransaction } from '../../machines/transactions/invite-client.ts';
import {
  TCP,
  TERMINATED,
  TIMEOUT,
  TRANSPORT_ERROR,
  UDP,
  cancel,
  responseToTU,
  run,
  start,
  transmit,
} from './harness.ts';

const calling = (input = UDP) => run(inviteClientTransaction, input);

function proceeding(input = UDP) {
  const ict = calling(input);
  ict.send({ type: 'RESPONSE', status: 180 });
  return ict;
}

function completed(input = UDP) {
  const ict = calling(input);
  ict.send({ type: 'RESPONSE', status: 486 });
  return ict;
}

function accepted(input = UDP) {
  const ict = calling(input);
  ict.send({ type: 'RESPONSE', status: 200 });
  return ict;
}

describe('INVITE client transaction (RFC 3261 §17.1.1.2, RFC 6026 §8.4)', () => {
  describe('when the TU initiates it with an INVITE', () => {
    it('MUST enter Calling, pass the request to the transport, start Timer A = T1 and Timer B = 64*T1 (unreliable transport)', () => {
      const ict = calling(UDP);
      expect(ict.state()).toBe('calling');
      expect(ict.created).toEqual([transmit('request'), start('A', 500), start('B', 32_000)]);
    });

    it('SHOULD NOT start Timer A over a reliable transport, and MUST still start Timer B', () => {
      expect(calling(TCP).created).toEqual([transmit('request'), start('B', 32_000)]);
    });

    it('scales Timers A and B with the configured T1', () => {
      expect(calling({ reliable: false, t1: 1_000 }).created).toEqual([transmit('request'), start('A', 1_000), start('B', 64_000)]);
    });
  });

  describe('in Calling', () => {
    it('when Timer A fires, MUST retransmit the request and reset Timer A with an interval that doubles after each transmission', () => {
      const ict = calling(UDP);
      for (const ms of [1_000, 2_000, 4_000, 8_000, 16_000, 32_000]) {
        expect(ict.send({ type: 'TIMER_A' })).toEqual([transmit('request'), start('A', ms)]);
      }
      expect(ict.state()).toBe('calling');
    });

    it('stops doubling at 64*T1, as Timer B ends the transaction before a longer interval could elapse', () => {
      const ict = calling({ reliable: false, t1: 100 });
      const intervals = Array.from({ length: 8 }, () => ict.send({ type: 'TIMER_A' })).map((effects) => effects.at(-1));
      expect(intervals.slice(-3)).toEqual([start('A', 6_400), start('A', 6_400), start('A', 6_400)]);
    });

    it('when Timer B fires, SHOULD inform the TU of a timeout, MUST NOT generate an ACK, and terminates', () => {
      const ict = calling(UDP);
      expect(ict.send({ type: 'TIMER_B' })).toEqual([cancel('A'), TIMEOUT, TERMINATED]);
      expect(ict.done()).toBe(true);
    });

    it('on a transport error, SHOULD inform the TU and move directly to Terminated (§17.1.4)', () => {
      expect(calling(UDP).send({ type: 'TRANSPORT_ERROR' })).toEqual([cancel('A'), cancel('B'), TRANSPORT_ERROR, TERMINATED]);
      expect(calling(TCP).send({ type: 'TRANSPORT_ERROR' })).toEqual([cancel('B'), TRANSPORT_ERROR, TERMINATED]);
    });

    it('on a 1xx, moves to Proceeding, stops retransmitting, and MUST pass the response to the TU', () => {
      const ict = calling(UDP);
      expect(ict.send({ type: 'RESPONSE', status: 100 })).toEqual([cancel('A'), cancel('B'), responseToTU(100)]);
      expect(ict.state()).toBe('proceeding');
    });

    it('on a 2xx, MUST move to Accepted, start Timer M = 64*T1, pass the 2xx to the TU, and MUST NOT generate an ACK', () => {
      const ict = calling(UDP);
      expect(ict.send({ type: 'RESPONSE', status: 200 })).toEqual([cancel('A'), cancel('B'), responseToTU(200), start('M', 32_000)]);
      expect(ict.state()).toBe('accepted');
    });

    it('on a 300-699, MUST move to Completed, pass the response to the TU, send an ACK and start Timer D of 32 s (unreliable)', () => {
      const ict = calling(UDP);
      expect(ict.send({ type: 'RESPONSE', status: 699 })).toEqual([
        cancel('A'),
        cancel('B'),
        responseToTU(699),
        transmit('ack'),
        start('D', 32_000),
      ]);
      expect(ict.state()).toBe('completed');
    });

    it('on a 300-699 over a reliable transport, MUST send the ACK anyway, and leaves Completed at once as Timer D is zero', () => {
      const ict = calling(TCP);
      expect(ict.send({ type: 'RESPONSE', status: 300 })).toEqual([cancel('B'), responseToTU(300), transmit('ack'), TERMINATED]);
      expect(ict.done()).toBe(true);
    });

    it('ignores a status outside 100-699', () => {
      const ict = calling(UDP);
      expect(ict.send({ type: 'RESPONSE', status: 99 }, { type: 'RESPONSE', status: 700 })).toEqual([]);
      expect(ict.state()).toBe('calling');
    });
  });

  describe('in Proceeding', () => {
    it('MUST pass any further provisional response up to the TU and stays', () => {
      const ict = proceeding();
      expect(ict.send({ type: 'RESPONSE', status: 183 })).toEqual([responseToTU(183)]);
      expect(ict.state()).toBe('proceeding');
    });

    it('on a 2xx, MUST move to Accepted and pass it to the TU', () => {
      const ict = proceeding();
      expect(ict.send({ type: 'RESPONSE', status: 299 })).toEqual([responseToTU(299), start('M', 32_000)]);
      expect(ict.state()).toBe('accepted');
    });

    it('on a 300-699, MUST move to Completed, pass it to the TU and send an ACK', () => {
      const ict = proceeding();
      expect(ict.send({ type: 'RESPONSE', status: 487 })).toEqual([responseToTU(487), transmit('ack'), start('D', 32_000)]);
      expect(ict.state()).toBe('completed');
    });
  });

  describe('in Completed', () => {
    it('on a retransmitted 300-699, MUST re-pass the ACK to the transport and MUST NOT pass the response to the TU', () => {
      const ict = completed();
      expect(ict.send({ type: 'RESPONSE', status: 486 })).toEqual([transmit('ack')]);
      expect(ict.state()).toBe('completed');
    });

    it('when Timer D fires, MUST move to Terminated', () => {
      const ict = completed();
      expect(ict.send({ type: 'TIMER_D' })).toEqual([TERMINATED]);
      expect(ict.done()).toBe(true);
    });

    it('on a transport error, informs the TU and terminates, disarming Timer D', () => {
      expect(completed().send({ type: 'TRANSPORT_ERROR' })).toEqual([cancel('D'), TRANSPORT_ERROR, TERMINATED]);
    });
  });

  describe('in Accepted (RFC 6026)', () => {
    it('MUST pass every further 2xx up to the TU, and MUST NOT generate an ACK', () => {
      const ict = accepted();
      expect(ict.send({ type: 'RESPONSE', status: 200 }, { type: 'RESPONSE', status: 202 })).toEqual([responseToTU(200), responseToTU(202)]);
      expect(ict.state()).toBe('accepted');
    });

    it('when Timer M fires, MUST move to Terminated', () => {
      const ict = accepted();
      expect(ict.send({ type: 'TIMER_M' })).toEqual([TERMINATED]);
      expect(ict.done()).toBe(true);
    });

    it('stays in Accepted over a reliable transport as well: Timer M is 64*T1 whatever the transport', () => {
      const ict = accepted(TCP);
      expect(ict.state()).toBe('accepted');
      expect(ict.send({ type: 'RESPONSE', status: 200 })).toEqual([responseToTU(200)]);
    });
  });
});
