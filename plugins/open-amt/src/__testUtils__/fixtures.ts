import { Entity } from '@backstage/catalog-model';
import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
  DeploymentHealth,
  DeploymentSummary,
  HealthStatus,
  deriveDeploymentStatus,
  LATEST_TOOLKIT_RELEASE,
} from '@open-amt-backstage/plugin-open-amt-common';

export const NOW = Date.parse('2026-11-25T12:00:00Z');

export function isoAgo(seconds: number, now: number = Date.now()): string {
  return new Date(now - seconds * 1000).toISOString();
}

export function systemEntity(
  overrides: {
    name?: string;
    annotations?: Record<string, string>;
    links?: { url: string; title?: string }[];
  } = {},
): Entity {
  const name = overrides.name ?? 'prod-eu';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'open-amt.io/deployment': name,
        'open-amt.io/database-provider': 'azure-postgresql',
        'open-amt.io/secrets-provider': 'azure-key-vault',
        'open-amt.io/gateway-provider': 'kong',
        ...overrides.annotations,
      },
      links: overrides.links,
    },
    spec: { owner: 'group:default/platform' },
  };
}

export function partEntity(
  component: ComponentId,
  deployment = 'prod-eu',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind:
      component === 'database' ||
      component === 'secrets' ||
      component === 'gateway'
        ? 'Resource'
        : 'Component',
    metadata: {
      name: `${deployment}-${component}`,
      namespace: 'default',
      annotations: {
        'open-amt.io/deployment': deployment,
        'open-amt.io/component': component,
      },
    },
    spec: { owner: 'group:default/platform', type: 'service' },
  };
}

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'unrelated', namespace: 'default' },
  spec: { owner: 'group:default/platform', type: 'service' },
};

const PROVIDERS: Record<
  ComponentId,
  Pick<ComponentHealth, 'provider' | 'supportLevel'>
> = {
  mps: { provider: 'open-amt', supportLevel: 'native' },
  rps: { provider: 'open-amt', supportLevel: 'native' },
  mpsrouter: { provider: 'open-amt', supportLevel: 'native' },
  webui: { provider: 'open-amt', supportLevel: 'native' },
  database: { provider: 'azure-postgresql', supportLevel: 'native' },
  secrets: { provider: 'azure-key-vault', supportLevel: 'kit' },
  gateway: { provider: 'kong', supportLevel: 'native' },
  cira: { provider: 'open-amt', supportLevel: 'native' },
  devices: { provider: 'open-amt', supportLevel: 'native' },
  certificates: { provider: 'open-amt', supportLevel: 'native' },
};

/** A deployment's health with every component healthy unless `statuses` says otherwise. */
export function deploymentHealth(
  options: {
    name?: string;
    statuses?: Partial<Record<ComponentId, HealthStatus>>;
    checkedAt?: string;
    simulated?: boolean;
    details?: Partial<Record<ComponentId, Record<string, unknown>>>;
    intervalSeconds?: number;
  } = {},
): DeploymentHealth {
  const name = options.name ?? 'prod-eu';
  const checkedAt = options.checkedAt ?? isoAgo(20);
  const components = COMPONENT_IDS.map((component, i) => {
    const status = options.statuses?.[component] ?? 'healthy';
    return {
      component,
      ...PROVIDERS[component],
      status,
      latencyMs: status === 'down' ? undefined : 10 + i * 5,
      checkedAt,
      message: `${component} is ${status}`,
      details: options.details?.[component],
    };
  });
  return {
    entityRef: `system:default/${name}`,
    name,
    title: `Production ${name}`,
    owner: 'group:default/platform',
    target: 'aks',
    status: deriveDeploymentStatus(components),
    checkedAt,
    simulated: options.simulated,
    intervalSeconds: options.intervalSeconds,
    components,
  };
}

export function deploymentSummary(
  name: string,
  status: HealthStatus,
  extra: Partial<DeploymentSummary> = {},
): DeploymentSummary {
  return {
    entityRef: `system:default/${name}`,
    name,
    title: `Deployment ${name}`,
    owner: 'group:default/platform',
    target: 'compose',
    status,
    checkedAt: isoAgo(30),
    providers: { database: 'postgresql', secrets: 'vault', gateway: 'kong' },
    componentCounts: { healthy: 10, degraded: 0, down: 0, unknown: 0 },
    drift: {
      release: LATEST_TOOLKIT_RELEASE.id,
      latestRelease: LATEST_TOOLKIT_RELEASE.id,
      behind: false,
      driftedCount: 0,
    },
    ...extra,
  };
}
