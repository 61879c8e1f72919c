import { RoundLocks } from './RoundLocks';

describe('RoundLocks', () => {
  it('lets one round per key run, the next once it is released, in order; other keys run meanwhile', async () => {
    const locks = new RoundLocks();
    const order: string[] = [];
    const releaseFirst = await locks.acquire('a');
    const second = locks.acquire('a').then(release => {
      order.push('second');
      return release;
    });
    const third = locks.acquire('a').then(release => {
      order.push('third');
      release();
    });
    const other = await locks.acquire('b');
    order.push('other key');
    other();
    order.push('first done');
    releaseFirst();
    (await second)();
    await third;
    expect(order).toEqual(['other key', 'first done', 'second', 'third']);
    // Free again at once.
    (await locks.acquire('a'))();
  });
});
