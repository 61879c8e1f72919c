import { DeviceLevelWindow } from './DeviceLevelWindow';

const MINUTE = 60_000;

describe('DeviceLevelWindow', () => {
  it('is the median of the samples of the window before the given time', () => {
    const w = new DeviceLevelWindow(10 * MINUTE);
    expect(w.level('a', 0)).toBeUndefined();
    [40, 10, 41, 39].forEach((c, i) => w.add('a', i * MINUTE, c));
    // Even count: the two middle values (39, 40), rounded.
    expect(w.level('a', 4 * MINUTE)).toBe(40);
    // Only samples before `at`: 40, 10, 41.
    expect(w.level('a', 3 * MINUTE)).toBe(40);
    // Samples older than the window are left out: at 12 min only 41 (2 min) and 39 (3 min) remain.
    expect(w.level('a', 12 * MINUTE)).toBe(40);
    expect(w.level('a', 12.5 * MINUTE)).toBe(39);
    expect(w.level('b', 4 * MINUTE)).toBeUndefined();
  });

  it('keeps samples in time order: one not newer than the newest is ignored', () => {
    const w = new DeviceLevelWindow(10 * MINUTE);
    w.add('a', 5 * MINUTE, 40);
    w.add('a', 5 * MINUTE, 1);
    w.add('a', 4 * MINUTE, 1);
    expect(w.newest('a')).toBe(5 * MINUTE);
    expect(w.level('a', 6 * MINUTE)).toBe(40);
  });

  it('forgets deployments that left the catalog', () => {
    const w = new DeviceLevelWindow(10 * MINUTE);
    w.add('a', 0, 1);
    w.add('b', 0, 2);
    w.retainOnly(new Set(['b']));
    expect(w.newest('a')).toBeUndefined();
    expect(w.level('b', MINUTE)).toBe(2);
  });
});
