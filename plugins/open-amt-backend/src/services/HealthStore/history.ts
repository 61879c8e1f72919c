import {
  ComponentHealth,
  HISTORY_GAUGES,
  HistoryBucket,
  StatusTransition,
} from '@open-amt-backstage/plugin-open-amt-common';
import { BucketData, decodeBucket, mergeBucket } from './bucketCodec';
import { addSample, quantile } from './latencySketch';

/** History is kept in 5-minute buckets; longer ranges are re-aggregated on read. */
export const BUCKET_MS = 5 * 60 * 1000;
/** A history answer holds at most this many buckets per component. */
export const MAX_HISTORY_BUCKETS = 288;
/** A history answer holds at most this many state changes (the newest). */
export const MAX_TRANSITIONS = 1000;

/** The start of the 5-minute bucket `ms` falls in. */
export const bucketStartOf = (ms: number) =>
  Math.floor(ms / BUCKET_MS) * BUCKET_MS;

/** The component's HISTORY_GAUGES numbers from its details, when it reported any. */
function gaugesOf(c: ComponentHealth): Record<string, number> | undefined {
  const gauges: Record<string, number> = {};
  for (const name of HISTORY_GAUGES[c.component] ?? []) {
    const value = c.details?.[name];
    if (typeof value === 'number' && Number.isFinite(value))
      gauges[name] = value;
  }
  return Object.keys(gauges).length ? gauges : undefined;
}

/** One round as a history sample: up when healthy or degraded; latency only when the component answered. */
export function bucketSample(components: ComponentHealth[]): BucketData {
  const sample: BucketData = new Map();
  for (const c of components) {
    const latency = new Map<number, number>();
    if (
      c.latencyMs !== undefined &&
      c.status !== 'down' &&
      c.status !== 'unknown'
    )
      addSample(latency, c.latencyMs);
    const gauges = gaugesOf(c);
    sample.set(c.component, {
      samples: 1,
      up: c.status === 'healthy' || c.status === 'degraded' ? 1 : 0,
      latency,
      ...(gauges ? { gauges } : {}),
    });
  }
  return sample;
}

/**
 * The stored buckets to read for a range and how long each answered bucket is: the range starts at its first
 * 5-minute bucket, and longer ranges get `factor`-times longer buckets so that at most MAX_HISTORY_BUCKETS remain.
 */
export function historyWindow(
  from: Date,
  to: Date,
): { firstBucket: number; toMs: number; outMs: number } {
  const firstBucket = bucketStartOf(from.getTime());
  const toMs = to.getTime();
  const span = Math.max(1, Math.ceil((toMs - firstBucket) / BUCKET_MS));
  const factor = Math.max(1, Math.ceil(span / MAX_HISTORY_BUCKETS));
  return { firstBucket, toMs, outMs: BUCKET_MS * factor };
}

/** Re-aggregates stored 5-minute rows (oldest first) into the window's longer buckets; sketches merge exactly. */
export function aggregateBuckets(
  rows: { bucket_start: string | number; data: string }[],
  window: { firstBucket: number; outMs: number },
): HistoryBucket[] {
  const { firstBucket, outMs } = window;
  const merged = new Map<number, BucketData>();
  for (const row of rows) {
    const start =
      firstBucket +
      Math.floor((Number(row.bucket_start) - firstBucket) / outMs) * outMs;
    const data = merged.get(start) ?? new Map();
    mergeBucket(data, decodeBucket(row.data));
    merged.set(start, data);
  }
  const buckets: HistoryBucket[] = [];
  for (const [start, data] of merged) {
    for (const [component, b] of data) {
      buckets.push({
        component,
        start: new Date(start).toISOString(),
        bucketSeconds: outMs / 1000,
        samples: b.samples,
        uptime: b.samples > 0 ? b.up / b.samples : 0,
        latencyP50Ms: quantile(b.latency, 0.5),
        latencyP95Ms: quantile(b.latency, 0.95),
        ...(b.gauges ? { gauges: b.gauges } : {}),
      });
    }
  }
  return buckets;
}

/** State-change rows as read newest first (to keep the newest under the limit), in time order for the API. */
export function toTransitions(
  newestFirst: {
    component: StatusTransition['component'];
    from_status: StatusTransition['from'];
    to_status: StatusTransition['to'];
    at: string | number;
    message: string;
  }[],
): StatusTransition[] {
  return [...newestFirst].reverse().map(r => ({
    component: r.component,
    from: r.from_status ?? null,
    to: r.to_status,
    at: new Date(Number(r.at)).toISOString(),
    message: r.message,
  }));
}
