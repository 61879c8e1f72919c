import { withDeadline } from './withDeadline';

describe('withDeadline', () => {
  it('answers at the deadline even when the task never settles, and aborts it', async () => {
    let aborted = false;
    const started = Date.now();
    const result = await withDeadline(
      100,
      signal => {
        signal.addEventListener('abort', () => (aborted = true));
        return new Promise<string>(() => {});
      },
      () => 'timeout',
    );
    expect(result).toBe('timeout');
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('returns the task result when it is in time', async () => {
    await expect(
      withDeadline(
        1000,
        async () => 'done',
        () => 'timeout',
      ),
    ).resolves.toBe('done');
  });

  it("passes the parent's abort to the task without answering for it", async () => {
    const parent = new AbortController();
    const result = withDeadline(
      1000,
      signal =>
        new Promise<string>(resolve =>
          signal.addEventListener('abort', () =>
            resolve(`task saw ${signal.reason}`),
          ),
        ),
      () => 'timeout',
      parent.signal,
    );
    parent.abort('cancelled');
    await expect(result).resolves.toBe('task saw cancelled');
  });
});

describe('withDeadline timers', () => {
  afterEach(() => jest.useRealTimers());

  it('leaves no timer behind once the task settled in time, and never aborts its signal', async () => {
    jest.useFakeTimers();
    let seen: AbortSignal | undefined;
    const result = await withDeadline(
      5000,
      async signal => {
        seen = signal;
        return 'done';
      },
      () => 'timeout',
    );
    expect(result).toBe('done');
    // A sweep runs thousands of these: a timer per task kept for the whole timeout is CPU and heap.
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(seen!.aborted).toBe(false);
  });

  it('aborts with a TimeoutError at the deadline', async () => {
    jest.useFakeTimers();
    let seen: AbortSignal | undefined;
    const result = withDeadline(
      100,
      signal => {
        seen = signal;
        return new Promise<string>(() => {});
      },
      () => 'timeout',
    );
    jest.advanceTimersByTime(100);
    await expect(result).resolves.toBe('timeout');
    expect(seen!.aborted).toBe(true);
    expect((seen!.reason as DOMException).name).toBe('TimeoutError');
  });

  it('stops listening to the parent once the task settled', async () => {
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    await withDeadline(
      1000,
      async signal => {
        seen = signal;
        return 'done';
      },
      () => 'timeout',
      parent.signal,
    );
    parent.abort('late');
    expect(seen!.aborted).toBe(false);
  });

  it('starts the task aborted when the parent already was', async () => {
    const parent = new AbortController();
    parent.abort('before');
    const result = await withDeadline(
      1000,
      async signal => `aborted ${signal.aborted} by ${signal.reason}`,
      () => 'timeout',
      parent.signal,
    );
    expect(result).toBe('aborted true by before');
  });
});

describe('withDeadline failures', () => {
  it('rejects with the error of a task that fails in time, also synchronously', async () => {
    await expect(
      withDeadline(
        1000,
        async () => {
          throw new Error('async failure');
        },
        () => 'timeout',
      ),
    ).rejects.toThrow('async failure');
    await expect(
      withDeadline(
        1000,
        () => {
          throw new Error('sync failure');
        },
        () => 'timeout',
      ),
    ).rejects.toThrow('sync failure');
  });

  it('answers the timeout even when the task fails after the deadline', async () => {
    jest.useFakeTimers();
    let fail: (error: Error) => void = () => {};
    const result = withDeadline(
      100,
      () => new Promise<string>((_, reject) => (fail = reject)),
      () => 'timeout',
    );
    jest.advanceTimersByTime(100);
    fail(new Error('late'));
    await expect(result).resolves.toBe('timeout');
    jest.useRealTimers();
  });
});
