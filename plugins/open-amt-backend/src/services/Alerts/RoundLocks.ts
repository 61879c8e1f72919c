/**
 * One round at a time per deployment in this process: the alert is judged from the stored round, so a refresh
 * racing the sweep must wait until the other round is stored, or both would start the same alert.
 */
export class RoundLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves when the key is free; call the returned function to free it. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>(resolve => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
