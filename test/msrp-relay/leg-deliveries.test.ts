/**
 * A leg's bookkeeping of answers: a message is delivered once every chunk of it, up to the one
 * that ended it with "$", has been answered, in whatever order, and chunks of messages may
 * interleave (RFC 4975 §7.1).
 */
import { describe, expect, it } from 'vitest';
import { LegDeliveries } from '../../runtime/msrp/relay/leg-deliveries.ts';

describe('LegDeliveries', () => {
  it('tells a message delivered at the answer that completes it, whatever the order of answers', () => {
    const deliveries = new LegDeliveries();
    deliveries.sent('t1', 'm1', '+');
    deliveries.sent('t2', 'm1', '$');
    expect(deliveries.unanswered).toBe(2);
    expect(deliveries.answered('t2')).toBeUndefined();
    expect(deliveries.owns('t2')).toBe(false);
    expect(deliveries.answered('t1')).toBe('m1');
    expect(deliveries.unanswered).toBe(0);
  });

  it('keeps interleaved messages apart', () => {
    const deliveries = new LegDeliveries();
    deliveries.sent('a1', 'ma', '+');
    deliveries.sent('b1', 'mb', '+');
    deliveries.sent('a2', 'ma', '$');
    deliveries.sent('b2', 'mb', '$');
    expect(deliveries.answered('a2')).toBeUndefined();
    expect(deliveries.answered('b1')).toBeUndefined();
    expect(deliveries.answered('b2')).toBe('mb');
    expect(deliveries.answered('a1')).toBe('ma');
  });

  it('never tells an aborted message delivered, and forgets what is not its own', () => {
    const deliveries = new LegDeliveries();
    deliveries.sent('t1', 'm1', '+');
    deliveries.sent('t2', 'm1', '#');
    expect(deliveries.answered('t1')).toBeUndefined();
    expect(deliveries.answered('t2')).toBeUndefined();
    expect(deliveries.owns('elsewhere')).toBe(false);
    expect(deliveries.answered('elsewhere')).toBeUndefined();
    // A message that reuses a finished one's Message-ID is counted afresh.
    deliveries.sent('t3', 'm1', '$');
    expect(deliveries.answered('t3')).toBe('m1');
  });
});
