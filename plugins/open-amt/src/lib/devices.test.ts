import { HistoryBucket } from '@open-amt-backstage/plugin-open-amt-common';
import { deviceTrendPoints } from './devices';

const bucket = (over: Partial<HistoryBucket>): HistoryBucket => ({
  component: 'devices',
  start: '2026-11-25T10:00:00Z',
  bucketSeconds: 300,
  samples: 5,
  uptime: 1,
  ...over,
});

describe('devices', () => {
  it('takes the devices buckets gauges oldest first and skips buckets without both counts', () => {
    expect(
      deviceTrendPoints([
        bucket({
          start: '2026-11-25T10:10:00Z',
          gauges: { connectedCount: 30, totalCount: 40 },
        }),
        bucket({ gauges: { connectedCount: 38, totalCount: 40 } }),
        bucket({
          component: 'mps',
          gauges: { connectedCount: 1, totalCount: 1 },
        }),
        bucket({ start: '2026-11-25T10:05:00Z' }),
        bucket({
          start: '2026-11-25T10:15:00Z',
          gauges: { connectedCount: 39 },
        }),
      ]),
    ).toEqual([
      { time: Date.parse('2026-11-25T10:00:00Z'), connected: 38, total: 40 },
      { time: Date.parse('2026-11-25T10:10:00Z'), connected: 30, total: 40 },
    ]);
  });
});
