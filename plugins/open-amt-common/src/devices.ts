/**
 * The devices row's details as the backend stores them and every view reads them: MPS's counts, and the device-drop
 * alert while one is active. Details are JSON as stored (possibly by an older or newer backend), so each reader
 * checks every field before use and treats anything malformed as absent.
 */

/** Connected and total devices as MPS counted them (details.connectedCount / details.totalCount). */
export interface DeviceCounts {
  connected: number;
  total: number;
}

/** An active device-drop alert (details.dropAlert): since when, from what level, back at what count. */
export interface DeviceDropAlert {
  /** ISO time of the round the drop was first seen. */
  since: string;
  /** The level when the alert started, capped by the devices MPS still knows. */
  baseline: number;
  /** Connected count that counts as recovered. */
  recoverAt: number;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The counts the details hold, or undefined when MPS was not counted. */
export function deviceCountsOf(
  details: Record<string, unknown> | undefined,
): DeviceCounts | undefined {
  const connected = details?.connectedCount;
  const total = details?.totalCount;
  return isCount(connected) && isCount(total)
    ? { connected, total }
    : undefined;
}

/** The active drop alert the details hold when it is well-formed; anything else is no alert. */
export function dropAlertOf(
  details: Record<string, unknown> | undefined,
): DeviceDropAlert | undefined {
  const alert = details?.dropAlert as Partial<DeviceDropAlert> | undefined;
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
