import { HistoryBucket } from '@open-amt-backstage/plugin-open-amt-common';
import { chartPointsFor, rangeFor, summarizeHistory } from './history';

const bucket = (over: Partial<HistoryBucket>): HistoryBucket => ({
  component: 'mps',
  start: '2026-11-25T10:00:00Z',
  bucketSeconds: 300,
  samples: 5,
  uptime: 1,
  ...over,
});

describe('history', () => {
  it('weights uptime by samples and bounds latency', () => {
    const [mps] = summarizeHistory([
      bucket({ samples: 10, uptime: 1, latencyP50Ms: 10, latencyP95Ms: 30 }),
      bucket({
        start: '2026-11-25T10:05:00Z',
        samples: 30,
        uptime: 0.5,
        latencyP50Ms: 20,
        latencyP95Ms: 90,
      }),
      bucket({
        start: '2026-11-25T10:10:00Z',
        samples: 10,
        uptime: 0,
        latencyP50Ms: 40,
      }),
    ]);
    expect(mps.component).toBe('mps');
    expect(mps.samples).toBe(50);
    expect(mps.uptime).toBeCloseTo((10 + 15 + 0) / 50);
    expect(mps.latencyP50Ms).toBe(20);
    expect(mps.latencyP95Ms).toBe(90);
  });

  it('leaves out components without samples', () => {
    const summaries = summarizeHistory([bucket({ component: 'gateway' })]);
    expect(summaries.map(s => s.component)).toEqual(['gateway']);
  });

  it('orders chart points by time, uptime in percent', () => {
    const points = chartPointsFor(
      [
        bucket({ start: '2026-11-25T10:05:00Z', uptime: 0.25 }),
        bucket({ uptime: 0.999 }),
        bucket({ component: 'rps' }),
      ],
      'mps',
    );
    expect(points.map(p => p.uptimePercent)).toEqual([99.9, 25]);
  });

  it('spans the chosen range back from now', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(rangeFor('7d', now).from.toISOString()).toBe(
      '2026-11-18T12:00:00.000Z',
    );
    expect(rangeFor('1h', now).to.toISOString()).toBe(
      '2026-11-25T12:00:00.000Z',
    );
  });
});
