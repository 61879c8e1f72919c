import {
  COMPONENT_IDS,
  ComponentId,
  HistoryBucket,
} from '@open-amt-backstage/plugin-open-amt-common';

export const HISTORY_RANGES = {
  '1h': { label: 'Last hour', seconds: 3_600 },
  '24h': { label: 'Last 24 hours', seconds: 86_400 },
  '7d': { label: 'Last 7 days', seconds: 604_800 },
} as const;
export type HistoryRangeId = keyof typeof HISTORY_RANGES;

export function rangeFor(
  id: HistoryRangeId,
  now: number = Date.now(),
): { from: Date; to: Date } {
  return {
    from: new Date(now - HISTORY_RANGES[id].seconds * 1000),
    to: new Date(now),
  };
}

export interface ComponentHistorySummary {
  component: ComponentId;
  samples: number;
  /** Sample-weighted share of healthy-or-degraded probes over the range (0..1). */
  uptime?: number;
  /** Median of the buckets' p50. */
  latencyP50Ms?: number;
  /** Highest bucket p95: a conservative bound for the range. */
  latencyP95Ms?: number;
}

export function summarizeHistory(
  buckets: HistoryBucket[],
): ComponentHistorySummary[] {
  return COMPONENT_IDS.map(component => {
    const own = buckets.filter(b => b.component === component);
    const samples = own.reduce((sum, b) => sum + b.samples, 0);
    const p50s = own
      .map(b => b.latencyP50Ms)
      .filter(isNumber)
      .sort((a, b) => a - b);
    const p95s = own.map(b => b.latencyP95Ms).filter(isNumber);
    return {
      component,
      samples,
      uptime:
        samples > 0
          ? own.reduce((sum, b) => sum + b.uptime * b.samples, 0) / samples
          : undefined,
      latencyP50Ms: p50s.length ? median(p50s) : undefined,
      latencyP95Ms: p95s.length ? Math.max(...p95s) : undefined,
    };
  }).filter(summary => summary.samples > 0);
}

/** Chart points for one component, oldest first; uptime in percent. */
export function chartPointsFor(
  buckets: HistoryBucket[],
  component: ComponentId,
) {
  return buckets
    .filter(b => b.component === component)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map(b => ({
      time: Date.parse(b.start),
      uptimePercent: Math.round(b.uptime * 1000) / 10,
      p50: b.latencyP50Ms,
      p95: b.latencyP95Ms,
    }));
}

function isNumber(v: number | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** An axis tick: the day for ranges over a day, else the time of day. */
export function formatTick(time: number, spanSeconds: number): string {
  const date = new Date(time);
  return spanSeconds > 86_400
    ? date.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })
    : date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}
