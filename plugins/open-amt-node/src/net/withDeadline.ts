const timeoutReason = () =>
  new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Settles with `task`'s result, or with `onTimeout()` once `timeoutMs` passed even when the task never
 * settles (an adapter stuck in a driver). The task's signal aborts at the deadline (reason: a TimeoutError, as
 * AbortSignal.timeout gives) or when `parent` aborts (with the parent's reason).
 *
 * One timer, cleared as soon as the task settles, and one promise: AbortSignal.timeout cannot be cleared, so
 * its timer stayed for the whole timeout after every task, kept its signal reachable until then and built a
 * DOMException when it fired; a sweep runs thousands of tasks (bench:probes measures that CPU and heap).
 */
export function withDeadline<T>(
  timeoutMs: number,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => T,
  parent?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    };
    timer = setTimeout(() => {
      if (settled) return;
      settle();
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
      controller.abort(timeoutReason());
    }, timeoutMs);
    let running: Promise<T>;
    try {
      running = Promise.resolve(task(controller.signal));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      value => {
        if (settled) return;
        settle();
        resolve(value);
      },
      error => {
        if (settled) return;
        settle();
        reject(error);
      },
    );
  });
}
