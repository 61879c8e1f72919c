import pLimit from 'p-limit';

/** Runs at most `concurrency` tasks at once; the rest wait in FIFO order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * p-limit, pinned to 3.x: the CommonJS major the tree already holds. 4 and later are ESM-only, which this
 * CommonJS backend could load only through require(esm). A task that throws synchronously rejects its
 * promise and frees its slot.
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('concurrency must be a positive integer');
  const limit = pLimit(concurrency);
  return task => limit(task);
}
