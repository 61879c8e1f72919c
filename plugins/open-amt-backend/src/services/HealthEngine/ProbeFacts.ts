import type { ComponentId } from '@open-amt-backstage/plugin-open-amt-common';
import type { ProbeMemory } from '@open-amt-backstage/plugin-open-amt-node';

interface Fact {
  value: unknown;
  learnedAt: number;
}

/**
 * The ProbeMemory of every deployment component between sweeps. A fact is trusted for maxAgeMs after it was
 * learned, then asked again; a fresh probe (on-demand refresh) asks everything and learns anew.
 */
export class ProbeFacts {
  private readonly byComponent = new Map<string, Map<string, Fact>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when facts are switched off (maxAgeMs 0): adapters then ask everything every time. */
  memoryFor(
    entityRef: string,
    component: ComponentId,
    options: { fresh?: boolean } = {},
  ): ProbeMemory | undefined {
    if (this.maxAgeMs <= 0) return undefined;
    const key = `${entityRef} ${component}`;
    const facts = () => {
      let held = this.byComponent.get(key);
      if (!held) {
        held = new Map();
        this.byComponent.set(key, held);
      }
      return held;
    };
    return {
      recall: <T>(name: string) => {
        if (options.fresh) return undefined;
        const fact = this.byComponent.get(key)?.get(name);
        return fact && this.now() - fact.learnedAt < this.maxAgeMs
          ? (fact.value as T)
          : undefined;
      },
      remember: (name, value) => {
        facts().set(name, { value, learnedAt: this.now() });
      },
      forget: name => {
        this.byComponent.get(key)?.delete(name);
      },
    };
  }

  /** Drops the facts of deployments that left the catalog. */
  retainOnly(entityRefs: ReadonlySet<string>): void {
    for (const key of this.byComponent.keys()) {
      if (!entityRefs.has(key.slice(0, key.lastIndexOf(' '))))
        this.byComponent.delete(key);
    }
  }
}
