/**
 * Allows one on-demand refresh per key (a deployment's entity ref) per window. In-memory per backend
 * replica: a user hitting two replicas gets at most one refresh per replica per window, which still
 * bounds the load a refresh button can cause.
 */
export class RefreshRateLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the slot for `key`: returns 0 when allowed, else the milliseconds until the next refresh. */
  tryAcquire(key: string): number {
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.windowMs)
      return this.windowMs - (now - previous);
    this.last.set(key, now);
    if (this.last.size > 10_000) this.prune(now);
    return 0;
  }

  private prune(now: number) {
    for (const [key, at] of this.last)
      if (now - at >= this.windowMs) this.last.delete(key);
  }
}
