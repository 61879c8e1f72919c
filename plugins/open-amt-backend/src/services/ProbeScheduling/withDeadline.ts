/**
 * Settles with `task`'s result, or with `onTimeout()` after `timeoutMs` even when the task never
 * settles (an adapter stuck in a driver); the task's AbortSignal fires at the deadline so it can
 * release its socket.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => T,
  parent?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const abortFromParent = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', abortFromParent, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>(resolve => {
    timer = setTimeout(() => {
      controller.abort(new Error(`deadline of ${timeoutMs} ms passed`));
      resolve(onTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([task(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', abortFromParent);
  }
}
