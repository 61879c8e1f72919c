/**
 * Performance marks for the browser test: how long the health card takes from data arrival to
 * painted rows. Read with `performance.getEntriesByName(CARD_PAINT_MEASURE)`.
 *
 * Off unless the page opts in: the browser tests (packages/e2e) set `window.__OPEN_AMT_PERF__ = true`
 * before the app loads. Without it no mark or measure is taken and no frame callback is scheduled.
 */
export const HEALTH_DATA_MARK = 'open-amt:health-data';
export const CARD_PAINTED_MARK = 'open-amt:card-painted';
export const CARD_PAINT_MEASURE = 'open-amt:card-data-to-paint';
/** The global a page sets to `true` to have the marks taken. */
export const PERF_MARKS_FLAG = '__OPEN_AMT_PERF__';

function perf(): Performance | undefined {
  if ((globalThis as Record<string, unknown>)[PERF_MARKS_FLAG] !== true)
    return undefined;
  return typeof performance !== 'undefined' &&
    typeof performance.mark === 'function'
    ? performance
    : undefined;
}

export function markHealthDataArrived(): void {
  perf()?.mark(HEALTH_DATA_MARK);
}

/** Call after React committed the rows; the mark lands after the next paint. */
export function markCardPaintedAfterNextFrame(): () => void {
  if (!perf() || typeof requestAnimationFrame !== 'function') return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  // rAF runs before the paint; a task queued from it runs after that paint.
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      const p = perf();
      if (!p || p.getEntriesByName(HEALTH_DATA_MARK).length === 0) return;
      p.mark(CARD_PAINTED_MARK);
      p.measure(CARD_PAINT_MEASURE, HEALTH_DATA_MARK, CARD_PAINTED_MARK);
    }, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
  };
}
