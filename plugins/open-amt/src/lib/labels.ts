import { Entity } from '@backstage/catalog-model';
import {
  ComponentHealth,
  OPEN_AMT_ANNOTATIONS,
  ComponentId,
  ProviderKind,
  ProviderSummary,
} from '@open-amt-backstage/plugin-open-amt-common';
import { ProviderRegistryView } from './providerRegistry';

export const COMPONENT_LABELS: Record<ComponentId, string> = {
  mps: 'MPS',
  rps: 'RPS',
  mpsrouter: 'MPS Router',
  webui: 'Web UI',
  database: 'Database',
  secrets: 'Secrets store',
  gateway: 'API gateway',
  cira: 'CIRA endpoint',
  devices: 'Devices',
  certificates: 'Certificates',
};

/** The replaceable parts map one-to-one to a provider kind; the services have no provider choice. */
export function providerKindOf(
  component: ComponentId,
): ProviderKind | undefined {
  if (
    component === 'database' ||
    component === 'secrets' ||
    component === 'gateway'
  ) {
    return component;
  }
  return undefined;
}

/** The registry's entry for a component row's provider; undefined for a service or an id the registry lacks. */
export function providerInfoOf(
  health: Pick<ComponentHealth, 'component' | 'provider'>,
  registry: ProviderRegistryView,
): ProviderSummary | undefined {
  const kind = providerKindOf(health.component);
  return kind ? registry.find(kind, health.provider) : undefined;
}

/** Readable provider name for a component row: its label, or its bare id when the registry does not know it. */
export function providerLabelOf(
  health: Pick<ComponentHealth, 'component' | 'provider'>,
  registry: ProviderRegistryView,
): string {
  if (health.provider === 'open-amt') return 'Open AMT service';
  return providerInfoOf(health, registry)?.label ?? health.provider;
}

const PROVIDER_ANNOTATIONS: Record<ProviderKind, string> = {
  database: OPEN_AMT_ANNOTATIONS.databaseProvider,
  secrets: OPEN_AMT_ANNOTATIONS.secretsProvider,
  gateway: OPEN_AMT_ANNOTATIONS.gatewayProvider,
};

/**
 * The deployment's chosen providers: from the latest health (works on every part's page), else from
 * the System's provider annotations. Unknown ids are skipped.
 */
export function chosenProviders(
  entity: Entity,
  components: Pick<ComponentHealth, 'component' | 'provider'>[],
  registry: ProviderRegistryView,
): ProviderSummary[] {
  return (Object.keys(PROVIDER_ANNOTATIONS) as ProviderKind[])
    .map(kind => {
      const fromHealth = components.find(c => c.component === kind)?.provider;
      const id =
        fromHealth ?? entity.metadata.annotations?.[PROVIDER_ANNOTATIONS[kind]];
      return registry.find(kind, id);
    })
    .filter((p): p is ProviderSummary => p !== undefined);
}
