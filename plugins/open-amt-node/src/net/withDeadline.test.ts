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
