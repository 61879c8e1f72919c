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
