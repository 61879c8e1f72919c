/** Runs at most `concurrency` tasks at once; the rest wait in FIFO order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A counter and a queue of waiting starts. A sweep passes every probe through here (ten thousand on a
 * thousand-deployment fleet): p-limit wrapped each task in two more async functions and a queue node, and
 * bench:probes measured that machinery per probe. A task that throws synchronously rejects its promise and
 * frees its slot.
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('concurrency must be a positive integer');
  let active = 0;
  // Waiting starts from `head` on; the consumed front is dropped in one splice now and then.
  let waiting: Array<(() => void) | undefined> = [];
  let head = 0;

  const startNext = () => {
    active -= 1;
    if (head === waiting.length) return;
    const start = waiting[head]!;
    waiting[head] = undefined;
    head += 1;
    if (head === waiting.length) {
      waiting = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    start();
  };

  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active += 1;
        let running: Promise<T>;
        try {
          running = Promise.resolve(task());
        } catch (error) {
          running = Promise.reject(error);
        }
        running.then(
          value => {
            startNext();
            resolve(value);
          },
          error => {
            startNext();
            reject(error);
          },
        );
      };
      if (active < concurrency) start();
      else waiting.push(start);
    });
}
