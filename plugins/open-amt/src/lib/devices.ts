import {
  DeviceCounts,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';

export interface DeviceTrendPoint extends DeviceCounts {
  time: number;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The devices buckets' gauges, oldest first; a bucket without both counts (MPS not counted then) is left out. */
export function deviceTrendPoints(
  buckets: HistoryBucket[],
): DeviceTrendPoint[] {
  return buckets
    .filter(b => b.component === 'devices')
    .flatMap(b => {
      const connected = b.gauges?.connectedCount;
      const total = b.gauges?.totalCount;
      return isCount(connected) && isCount(total)
        ? [{ time: Date.parse(b.start), connected, total }]
        : [];
    })
    .sort((a, b) => a.time - b.time);
}
