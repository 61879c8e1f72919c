/**
 * Performance marks for the browser test: how long the health card takes from data arrival to
 * painted rows. Read with `performance.getEntriesByName(CARD_PAINT_MEASURE)`.
 */
export const HEALTH_DATA_MARK = 'open-amt:health-data';
export const CARD_PAINTED_MARK = 'open-amt:card-painted';
export const CARD_PAINT_MEASURE = 'open-amt:card-data-to-paint';

function perf(): Performance | undefined {
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
