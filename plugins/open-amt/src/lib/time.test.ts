import {
  formatExact,
  formatLatency,
  formatPercent,
  formatRelative,
} from './time';

describe('time and number formats', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it('formats relative times', () => {
    expect(formatRelative('2026-11-25T11:57:00Z', now)).toBe('3 minutes ago');
    expect(formatRelative('2026-11-25T11:59:50Z', now)).toBe('10 seconds ago');
    expect(formatRelative('2026-11-23T12:00:00Z', now)).toBe('2 days ago');
    expect(formatRelative('garbage', now)).toBe('unknown');
  });
  it('formats the exact time in UTC', () => {
    expect(formatExact('2026-11-25T11:57:00Z')).toBe(
      '25/11/2026, 11:57:00 UTC',
    );
  });
  it('formats latency and percentages', () => {
    expect(formatLatency(undefined)).toBe('—');
    expect(formatLatency(4.25)).toBe('4.3 ms');
    expect(formatLatency(123.4)).toBe('123 ms');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0.9876)).toBe('98.8 %');
  });
});
