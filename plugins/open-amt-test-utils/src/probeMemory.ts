/**
 * The shape of open-amt-node's ProbeMemory (structural, so this package needs open-amt-node only for its own
 * tests), plus the facts it holds.
 */
export interface TestProbeMemory {
  recall<T>(key: string): T | undefined;
  remember<T>(key: string, value: T): void;
  forget(key: string): void;
  readonly facts: Map<string, unknown>;
}

/** A ProbeMemory that trusts every fact until forgotten, for tests of what a probe asks when it remembers. */
export function createProbeMemory(): TestProbeMemory {
  const facts = new Map<string, unknown>();
  return {
    facts,
    recall: <T>(key: string) => facts.get(key) as T | undefined,
    remember: (key, value) => {
      facts.set(key, value);
    },
    forget: key => {
      facts.delete(key);
    },
  };
}
