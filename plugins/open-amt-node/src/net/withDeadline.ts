/**
 * Settles with `task`'s result, or with `onTimeout()` once `timeoutMs` passed even when the task never
 * settles (an adapter stuck in a driver). The task's signal is an AbortSignal.timeout, combined with
 * `parent` when given, so the task can release its socket at the deadline or when the caller cancels.
 *
 * The signal may still fire after the task settled (a timeout signal cannot be cleared): tasks remove
 * their abort listeners when they finish, as they must for `parent` anyway.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  task: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => T,
  parent?: AbortSignal,
): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  let answerAtDeadline: () => void = () => {};
  const deadline = new Promise<T>(resolve => {
    answerAtDeadline = () => resolve(onTimeout());
    timeout.addEventListener('abort', answerAtDeadline, { once: true });
  });
  try {
    return await Promise.race([task(signal), deadline]);
  } finally {
    // Also lets Node drop the timeout signal before it fires: it holds only signals with listeners.
    timeout.removeEventListener('abort', answerAtDeadline);
  }
}
