/**
 * How one probe exchange is cut short (probeHttp, the CIRA handshake). A single timer and at most one listener
 * per call, instead of an AbortController and a listener per step: a sweep makes thousands of these calls.
 * Kept hand-rolled rather than built on withDeadline (an AbortController and a promise race) for that per-step cost, which
 * bench:probes (plugins/open-amt-backend/bench/probes.ts, the sweep's CPU time) measures; withDeadline
 * is the one helper for a whole task under a deadline.
 */
export class Deadline {
  timedOut = false;
  cancelled = false;
  /** Stops what is in flight now (the pending DNS answer, or the request). */
  private stopCurrent?: (error: Error) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number, private readonly outer?: AbortSignal) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.stop();
    }, timeoutMs);
    if (outer?.aborted) this.cancelled = true;
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get reached() {
    return this.timedOut || this.cancelled;
  }

  private readonly onOuterAbort = () => {
    this.cancelled = true;
    this.stop();
  };

  private stop() {
    const stop = this.stopCurrent;
    this.stopCurrent = undefined;
    stop?.(new Error('probe deadline reached or cancelled'));
  }

  /** Runs one step; `cancel` is called if the deadline is reached while it is in flight. */
  track(cancel: (error: Error) => void): void {
    if (this.reached) cancel(new Error('probe deadline reached or cancelled'));
    else this.stopCurrent = cancel;
  }

  untrack() {
    this.stopCurrent = undefined;
  }

  /** Races a promise against the deadline (DNS lookups cannot be cancelled). */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.track(reject);
      promise.then(
        value => {
          this.untrack();
          resolve(value);
        },
        error => {
          this.untrack();
          reject(error);
        },
      );
    });
  }

  dispose() {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
