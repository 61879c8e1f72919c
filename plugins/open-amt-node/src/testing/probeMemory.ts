import type { ProbeMemory } from '../types';

/** A ProbeMemory that trusts every fact until forgotten, for tests of what a probe asks when it remembers. */
export function createProbeMemory(): ProbeMemory & { readonly facts: Map<string, unknown> } {
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
