import {
  ComponentHealth,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';
import { deviceCountsOf, deviceTrendPoints, dropAlertOf } from './devices';

const bucket = (over: Partial<HistoryBucket>): HistoryBucket => ({
  component: 'devices',
  start: '2026-11-25T10:00:00Z',
  bucketSeconds: 300,
  samples: 5,
  uptime: 1,
  ...over,
});

const row = (details: Record<string, unknown>): ComponentHealth => ({
  component: 'devices',
  provider: 'open-amt',
  supportLevel: 'native',
  status: 'degraded',
  checkedAt: '2026-11-25T12:00:00Z',
  message: 'devices',
  details,
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

  it('reads the current counts, or none when MPS was not counted', () => {
    expect(deviceCountsOf(row({ connectedCount: 38, totalCount: 40 }))).toEqual(
      { connected: 38, total: 40 },
    );
    expect(deviceCountsOf(row({ httpStatus: 401 }))).toBeUndefined();
    expect(deviceCountsOf(undefined)).toBeUndefined();
  });

  it('reads a well-formed drop alert and ignores a malformed one', () => {
    const alert = {
      since: '2026-11-25T11:00:00Z',
      baseline: 40,
      recoverAt: 38,
    };
    expect(dropAlertOf(row({ dropAlert: alert }))).toEqual(alert);
    expect(
      dropAlertOf(row({ dropAlert: { ...alert, since: 'yesterday' } })),
    ).toBeUndefined();
    expect(
      dropAlertOf(row({ dropAlert: { ...alert, recoverAt: '38' } })),
    ).toBeUndefined();
    expect(dropAlertOf(row({}))).toBeUndefined();
  });
});
