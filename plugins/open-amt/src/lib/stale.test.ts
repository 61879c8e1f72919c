import { isStale } from './stale';

describe('isStale', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it('is stale only beyond three intervals', () => {
    expect(isStale('2026-11-25T11:57:01Z', 60, now)).toBe(false); // 179 s
    expect(isStale('2026-11-25T11:57:00Z', 60, now)).toBe(false); // exactly 180 s
    expect(isStale('2026-11-25T11:56:59Z', 60, now)).toBe(true); // 181 s
    expect(isStale('2026-11-25T11:50:00Z', 300, now)).toBe(false);
  });
  it('never flags missing or unreadable timestamps', () => {
    expect(isStale(undefined, 60, now)).toBe(false);
    expect(isStale('yesterday', 60, now)).toBe(false);
  });
});
