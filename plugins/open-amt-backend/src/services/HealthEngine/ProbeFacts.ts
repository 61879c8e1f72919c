import type { ComponentId } from '@open-amt-backstage/plugin-open-amt-common';
import type { ProbeMemory } from '@open-amt-backstage/plugin-open-amt-node';

interface Fact {
  value: unknown;
  learnedAt: number;
}

type ComponentFacts = Map<string, Fact>;

/**
 * One probe's view of its component's facts: a single object per probe (every probe of a sweep asks for
 * one), the facts themselves created only when something is learned.
 */
class ComponentMemory implements ProbeMemory {
  constructor(
    private readonly owner: ProbeFacts,
    private readonly entityRef: string,
    private readonly component: ComponentId,
    private readonly fresh: boolean,
  ) {}

  recall<T>(name: string): T | undefined {
    if (this.fresh) return undefined;
    return this.owner.recall<T>(this.entityRef, this.component, name);
  }

  remember<T>(name: string, value: T): void {
    this.owner.remember(this.entityRef, this.component, name, value);
  }

  forget(name: string): void {
    this.owner.forget(this.entityRef, this.component, name);
  }
}

/**
 * The ProbeMemory of every deployment component between sweeps. A fact is trusted for maxAgeMs after it was
 * learned, then asked again; a fresh probe (on-demand refresh) asks everything and learns anew.
 */
export class ProbeFacts {
  private readonly byDeployment = new Map<
    string,
    Map<ComponentId, ComponentFacts>
  >();

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
    return new ComponentMemory(
      this,
      entityRef,
      component,
      options.fresh === true,
    );
  }

  /** Drops the facts of deployments that left the catalog. */
  retainOnly(entityRefs: ReadonlySet<string>): void {
    for (const entityRef of this.byDeployment.keys()) {
      if (!entityRefs.has(entityRef)) this.byDeployment.delete(entityRef);
    }
  }

  recall<T>(
    entityRef: string,
    component: ComponentId,
    name: string,
  ): T | undefined {
    const fact = this.byDeployment.get(entityRef)?.get(component)?.get(name);
    return fact && this.now() - fact.learnedAt < this.maxAgeMs
      ? (fact.value as T)
      : undefined;
  }

  remember(
    entityRef: string,
    component: ComponentId,
    name: string,
    value: unknown,
  ): void {
    let components = this.byDeployment.get(entityRef);
    if (!components) {
      components = new Map();
      this.byDeployment.set(entityRef, components);
    }
    let facts = components.get(component);
    if (!facts) {
      facts = new Map();
      components.set(component, facts);
    }
    facts.set(name, { value, learnedAt: this.now() });
  }

  forget(entityRef: string, component: ComponentId, name: string): void {
    this.byDeployment.get(entityRef)?.get(component)?.delete(name);
  }
}
