/**
 * The deadline behind a member leg's connect and transaction timeouts: it expires `ms` after the
 * last progress, never while stopped, and once per start.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Deadline } from '../../runtime/msrp/relay/deadline.ts';

describe('Deadline', () => {
  const deadlines: Deadline[] = [];
  const deadline = (): Deadline => {
    const d = new Deadline();
    deadlines.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of deadlines.splice(0)) d.dispose();
  });

  it('expires once, ms after start, without progress', async () => {
    const d = deadline();
    let expired = 0;
    d.start(30, () => expired++);
    await sleep(15);
    expect(expired).toBe(0);
    await sleep(40);
    expect(expired).toBe(1);
    expect(d.started).toBe(false);
    await sleep(40);
    expect(expired).toBe(1);
  });

  it('is pushed back by progress: expires ms after the last one', async () => {
    const d = deadline();
    let expiredAt: number | undefined;
    const start = Date.now();
    d.start(40, () => (expiredAt = Date.now()));
    for (let i = 0; i < 4; i++) {
      await sleep(20);
      d.progress();
    }
    const lastProgress = Date.now();
    await sleep(90);
    expect(expiredAt).toBeDefined();
    expect(expiredAt! - lastProgress).toBeGreaterThanOrEqual(35);
    expect(expiredAt! - start).toBeGreaterThanOrEqual(110);
  });

  it('does not expire while stopped, and counts afresh from a new start', async () => {
    const d = deadline();
    let expired = 0;
    d.start(30, () => expired++);
    await sleep(20);
    d.stop();
    await sleep(30);
    expect(expired).toBe(0);
    d.start(30, () => expired++);
    await sleep(15);
    expect(expired).toBe(0);
    await sleep(40);
    expect(expired).toBe(1);
  });

  it('a start while running keeps the running countdown; a shorter one after a stop is not held up by an earlier, longer timer', async () => {
    const d = deadline();
    const fired: string[] = [];
    d.start(1000, () => fired.push('long'));
    d.start(10, () => fired.push('ignored'));
    d.stop();
    d.start(20, () => fired.push('short'));
    await sleep(60);
    expect(fired).toEqual(['short']);
  });

  it('after dispose nothing fires', async () => {
    const d = deadline();
    let expired = 0;
    d.start(20, () => expired++);
    d.dispose();
    await sleep(40);
    expect(expired).toBe(0);
  });
});
