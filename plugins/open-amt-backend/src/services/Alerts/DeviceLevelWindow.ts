interface Sample {
  at: number;
  connected: number;
}

/**
 * The connected counts of each deployment's recent rounds, in memory, so "the level" is the median of the last
 * `windowMs` (one odd round does not move a median). Lost on restart and not shared by replicas: the caller adds the
 * stored latest round when it is newer than what the window holds.
 */
export class DeviceLevelWindow {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs: number) {}

  /** Median connected count (rounded) of the samples in the window before `at`; undefined when there are none. */
  level(key: string, at: number): number | undefined {
    const counts = (this.samples.get(key) ?? [])
      .filter(s => s.at < at && s.at >= at - this.windowMs)
      .map(s => s.connected)
      .sort((a, b) => a - b);
    if (counts.length === 0) return undefined;
    const mid = Math.floor(counts.length / 2);
    return counts.length % 2
      ? counts[mid]
      : Math.round((counts[mid - 1] + counts[mid]) / 2);
  }

  /** Time of the newest sample held, if any. */
  newest(key: string): number | undefined {
    const held = this.samples.get(key);
    return held?.length ? held[held.length - 1].at : undefined;
  }

  /** Adds a round (ignored unless newer than the newest held) and forgets samples older than the window. */
  add(key: string, at: number, connected: number): void {
    const held = this.samples.get(key) ?? [];
    if (held.length && held[held.length - 1].at >= at) return;
    held.push({ at, connected });
    const from = held.findIndex(s => s.at >= at - this.windowMs);
    this.samples.set(key, from > 0 ? held.slice(from) : held);
  }

  /** Forgets deployments that left the catalog. */
  retainOnly(keys: ReadonlySet<string>): void {
    for (const key of this.samples.keys())
      if (!keys.has(key)) this.samples.delete(key);
  }
}
