import {
  ComponentHealth,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';

export interface DeviceCounts {
  connected: number;
  total: number;
}

export interface DeviceTrendPoint extends DeviceCounts {
  time: number;
}

/** An active device-drop alert on the devices row (details.dropAlert): since when, from what, back at what. */
export interface DeviceDropAlert {
  since: string;
  baseline: number;
  recoverAt: number;
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

/** The counts the devices row holds now, or undefined when MPS was not counted (its message says why). */
export function deviceCountsOf(
  row: ComponentHealth | undefined,
): DeviceCounts | undefined {
  const connected = row?.details?.connectedCount;
  const total = row?.details?.totalCount;
  return isCount(connected) && isCount(total)
    ? { connected, total }
    : undefined;
}

/** The row's drop alert when one is active and well-formed; anything else is no alert. */
export function dropAlertOf(
  row: ComponentHealth | undefined,
): DeviceDropAlert | undefined {
  const alert = row?.details?.dropAlert as Partial<DeviceDropAlert> | undefined;
  if (
    !alert ||
    typeof alert !== 'object' ||
    typeof alert.since !== 'string' ||
    Number.isNaN(Date.parse(alert.since)) ||
    !isCount(alert.baseline) ||
    !isCount(alert.recoverAt)
  )
    return undefined;
  return {
    since: alert.since,
    baseline: alert.baseline,
    recoverAt: alert.recoverAt,
  };
}
