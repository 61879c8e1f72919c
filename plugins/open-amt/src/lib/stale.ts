/** Data counts as stale once it is older than this many probe intervals. */
export const STALE_AFTER_INTERVALS = 3;

/** True when the last probe is older than 3 probe intervals (the scheduler stopped, or the backend is down). */
export function isStale(
  checkedAt: string | undefined,
  intervalSeconds: number,
  now: number = Date.now(),
): boolean {
  if (!checkedAt) return false;
  const checked = Date.parse(checkedAt);
  if (!Number.isFinite(checked)) return false;
  return now - checked > STALE_AFTER_INTERVALS * intervalSeconds * 1000;
}
