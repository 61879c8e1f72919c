/**
 * A mergeable latency sketch: counts per logarithmic bin (each bin 10 % wider than the last), so a
 * quantile read back is within ±5 % of the true sample, buckets merge exactly when history is
 * re-aggregated over longer ranges, and a bucket costs a few bytes however many samples it holds.
 */
const GAMMA = 1.1;
const LOG_GAMMA = Math.log(GAMMA);

export type LatencySketch = Map<number, number>;

/** Bin 0 holds sub-millisecond samples; bin k >= 1 holds [GAMMA^(k-1), GAMMA^k) ms. */
export function binOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  return 1 + Math.floor(Math.log(latencyMs) / LOG_GAMMA + 1e-9);
}

/** Geometric middle of a bin, the value quantiles report. */
export function valueOf(bin: number): number {
  if (bin <= 0) return 0;
  return Math.pow(GAMMA, bin - 0.5);
}

export function addSample(sketch: LatencySketch, latencyMs: number): void {
  const bin = binOf(latencyMs);
  sketch.set(bin, (sketch.get(bin) ?? 0) + 1);
}

export function mergeInto(target: LatencySketch, source: LatencySketch): void {
  for (const [bin, count] of source)
    target.set(bin, (target.get(bin) ?? 0) + count);
}

/** The q-quantile (0..1) in ms, rounded to 0.1 ms; undefined for an empty sketch. */
export function quantile(sketch: LatencySketch, q: number): number | undefined {
  let total = 0;
  for (const count of sketch.values()) total += count;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bin of [...sketch.keys()].sort((a, b) => a - b)) {
    seen += sketch.get(bin)!;
    if (seen >= rank) return Math.round(valueOf(bin) * 10) / 10;
  }
  return undefined;
}

/** `27.28*2.30`: bins ascending, `*count` only when count > 1. */
export function encodeSketch(sketch: LatencySketch): string {
  return [...sketch.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, count]) => (count === 1 ? `${bin}` : `${bin}*${count}`))
    .join('.');
}

export function decodeSketch(text: string): LatencySketch {
  const sketch: LatencySketch = new Map();
  if (!text) return sketch;
  for (const part of text.split('.')) {
    const [bin, count] = part.split('*');
    const b = Number(bin);
    const c = count === undefined ? 1 : Number(count);
    if (Number.isInteger(b) && Number.isInteger(c) && c > 0)
      sketch.set(b, (sketch.get(b) ?? 0) + c);
  }
  return sketch;
}
