import { createLimiter } from './limiter';
import { RefreshRateLimiter } from './refreshRateLimiter';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('createLimiter', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await sleep(5 + (i % 4));
          active -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot when a task throws, also synchronously', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('a')))).rejects.toThrow(
      'a',
    );
    await expect(
      limit(() => {
        throw new Error('b');
      }),
    ).rejects.toThrow('b');
    await expect(limit(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('createLimiter order', () => {
  it('starts waiting tasks in the order they came, across a long queue', async () => {
    const limit = createLimiter(2);
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const all = Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        limit(
          () =>
            new Promise<number>(resolve => {
              started.push(i);
              releases.push(() => resolve(i));
            }),
        ),
      ),
    );
    // Release in start order until every task ran; the queue is consumed past its compaction point.
    for (let released = 0; released < 3000; released++) {
      releases[released]();
      await Promise.resolve();
      await Promise.resolve();
    }
    const results = await all;
    expect(results).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(started).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow('concurrency');
    expect(() => createLimiter(1.5)).toThrow('concurrency');
  });
});

describe('RefreshRateLimiter', () => {
  it('allows one refresh per key per window', () => {
    let now = 1000;
    const limiter = new RefreshRateLimiter(30_000, () => now);
    expect(limiter.tryAcquire('a')).toBe(0);
    expect(limiter.tryAcquire('b')).toBe(0);
    now += 10_000;
    expect(limiter.tryAcquire('a')).toBe(20_000);
    now += 20_000;
    expect(limiter.tryAcquire('a')).toBe(0);
  });
});
