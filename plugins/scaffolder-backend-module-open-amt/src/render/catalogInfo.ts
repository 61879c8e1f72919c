/**
 * catalog-info.yaml: a System for the deployment, Components for mps, rps, mpsrouter and webui, and a
 * Resource per replaced part (database, secrets store, gateway), with dependsOn relations and the
 * annotations the health engine reads (on the System, also MPS's common name and CIRA endpoint). Credentials are
 * referenced (open-amt.io/credentials-ref), never stored.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  OPEN_AMT_ANNOTATIONS as A,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  databaseRendererOf,
  gatewayRendererOf,
  secretStoreRendererOf,
} from './providers';
import { SERVICE_PORTS } from './env';
import { inClusterHost } from './gateways/upstreams';
import { entryRef } from './refs';
import { TECHDOCS_REF, TECHDOCS_REF_ANNOTATION } from './techDocs';
import { RenderedFile } from './types';
import { toYamlDocuments } from './yaml';

type Entity = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any>;
  spec: Record<string, unknown>;
};

/** The open-amt.io/secrets-endpoint value (also bound into the probe credentials entry). */
export function secretsEndpointAnnotation(spec: DeploymentSpec): string {
  return secretStoreRendererOf(spec).endpointAnnotation(spec);
}

export function gatewayUrl(spec: DeploymentSpec): string {
  return gatewayRendererOf(spec).probeUrl(spec);
}

export function buildCatalogEntities(spec: DeploymentSpec): Entity[] {
  const db = databaseRendererOf(spec).info;
  const secrets = secretStoreRendererOf(spec).info;
  const gateway = gatewayRendererOf(spec).info;
  const n = spec.name;
  // The in-cluster/compose name, unless spec.monitoring names where the portal reaches the service.
  const probeUrls = {
    mps: spec.monitoring?.mpsUrl,
    rps: spec.monitoring?.rpsUrl,
    mpsrouter: spec.monitoring?.mpsRouterUrl,
    webui: spec.monitoring?.webUiUrl,
  };
  const url = (svc: 'mps' | 'rps' | 'mpsrouter' | 'webui', port: number) =>
    probeUrls[svc] ?? `http://${inClusterHost(spec, svc)}:${port}`;
  const webUiUrl = probeUrls.webui ?? `https://${spec.gateway.publicHost}`;
  const common = (component: string) => ({
    [A.deployment]: n,
    [A.component]: component,
  });
  const lifecycle =
    spec.environment === 'production' ? 'production' : 'experimental';
  const system: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: n,
      title: `Open AMT ${n}`,
      description:
        spec.description ??
        `Open AMT Cloud Toolkit deployment (${spec.environment}) on ${
          TARGETS[spec.target].label
        }.`,
      tags: ['open-amt', spec.environment],
      annotations: {
        [A.deployment]: n,
        [A.target]: spec.target,
        // The release the health checks judge versions, tables and routes by.
        [A.toolkitRelease]: spec.toolkitRelease,
        [A.databaseProvider]: db.id,
        [A.secretsProvider]: secrets.id,
        [A.gatewayProvider]: gateway.id,
        [A.mpsUrl]: url('mps', SERVICE_PORTS.mps.web),
        [A.rpsUrl]: url('rps', SERVICE_PORTS.rps.web),
        [A.mpsRouterUrl]: url('mpsrouter', SERVICE_PORTS.mpsrouter.web),
        [A.webUiUrl]: webUiUrl,
        [A.databaseEndpoint]: `${spec.database.host}:${
          spec.database.port ?? db.defaultPort
        }`,
        // The health engine's database probe needs these; its defaults (verify-full, rpsdb, mpsdb) may differ.
        [A.databaseTlsMode]: spec.database.tlsMode,
        [A.rpsDatabase]: spec.database.rpsDatabase,
        [A.mpsDatabase]: spec.database.mpsDatabase,
        [A.secretsEndpoint]: secretsEndpointAnnotation(spec),
        [A.secretsMount]: secretStoreRendererOf(spec).mountAnnotation(spec),
        [A.gatewayUrl]: gatewayUrl(spec),
        [A.credentialsRef]: entryRef(spec, 'probe'),
        // The CIRA probe connects where devices do (or to spec.monitoring's internal address) and checks the
        // certificate MPS presents for its common name.
        [A.mpsCommonName]: spec.fqdn,
        [A.ciraEndpoint]:
          spec.monitoring?.ciraEndpoint ?? `${spec.fqdn}:${CIRA_PORT}`,
        // The runbook on the entity page's Docs tab (mkdocs.yml beside this file).
        [TECHDOCS_REF_ANNOTATION]: TECHDOCS_REF,
        // What the Day-2 templates (upgrade, change, rotate) start from; the spec holds no secret values.
        [A.deploymentSpec]: JSON.stringify(spec),
      },
    },
    spec: { owner: spec.owner },
  };
  const component = (
    id: 'mps' | 'rps' | 'mpsrouter' | 'webui',
    title: string,
    dependsOn: string[],
    endpoint: [string, string],
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `${n}-${id}`,
      title,
      annotations: { ...common(id), [endpoint[0]]: endpoint[1] },
    },
    spec: {
      type: 'service',
      lifecycle,
      owner: spec.owner,
      system: n,
      dependsOn,
    },
  });
  const resource = (
    id: 'database' | 'secrets' | 'gateway',
    title: string,
    type: string,
    annotations: Record<string, string>,
    dependsOn: string[] = [],
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${n}-${id}`,
      title,
      annotations: { ...common(id), ...annotations },
    },
    spec: {
      type,
      owner: spec.owner,
      system: n,
      ...(dependsOn.length ? { dependsOn } : {}),
    },
  });
  const r = (id: string) => `resource:${n}-${id}`;
  const c = (id: string) => `component:${n}-${id}`;
  return [
    system,
    component(
      'mps',
      'Management Presence Server',
      [r('database'), r('secrets')],
      [A.mpsUrl, url('mps', SERVICE_PORTS.mps.web)],
    ),
    component(
      'rps',
      'Remote Provisioning Server',
      [r('database'), r('secrets'), c('mps')],
      [A.rpsUrl, url('rps', SERVICE_PORTS.rps.web)],
    ),
    component(
      'mpsrouter',
      'MPS Router',
      [r('database'), c('mps')],
      [A.mpsRouterUrl, url('mpsrouter', SERVICE_PORTS.mpsrouter.web)],
    ),
    component('webui', 'Sample Web UI', [r('gateway')], [A.webUiUrl, webUiUrl]),
    resource('database', db.label, 'database', {
      [A.databaseProvider]: db.id,
      [A.databaseEndpoint]: system.metadata.annotations[A.databaseEndpoint],
      [A.credentialsRef]: entryRef(spec, 'probe'),
    }),
    resource('secrets', secrets.label, 'secrets-store', {
      [A.secretsProvider]: secrets.id,
      [A.secretsEndpoint]: system.metadata.annotations[A.secretsEndpoint],
    }),
    resource(
      'gateway',
      gateway.label,
      'api-gateway',
      { [A.gatewayProvider]: gateway.id, [A.gatewayUrl]: gatewayUrl(spec) },
      [c('mps'), c('rps'), c('mpsrouter'), c('webui')],
    ),
  ];
}

export function renderCatalogInfo(spec: DeploymentSpec): RenderedFile[] {
  return [
    {
      path: 'catalog-info.yaml',
      content: toYamlDocuments(buildCatalogEntities(spec)),
    },
  ];
}
