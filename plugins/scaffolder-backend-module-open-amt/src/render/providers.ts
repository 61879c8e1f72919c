import type {
  DeploymentSpec,
  SpecProviders,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  mergeProvidersById,
  requireDefaultPort,
} from '@open-amt-backstage/plugin-open-amt-node';
import { builtInDatabaseRenderers } from './databases';
import type { DatabaseRenderer } from './databases/types';
import { builtInGatewayRenderers } from './gateways';
import type { GatewayRenderer } from './gateways/types';
import { builtInSecretStoreRenderers } from './secrets';
import type { SecretStoreRenderer } from './secrets/types';

/** The databases, gateways and secrets stores a scaffolder can render: the built-ins plus those an adopter added. */
export interface RenderProviders {
  databases: Readonly<Record<string, DatabaseRenderer>>;
  gateways: Readonly<Record<string, GatewayRenderer>>;
  secretStores: Readonly<Record<string, SecretStoreRenderer>>;
  /** Their registry entries, which the deployment spec is parsed against. */
  spec: SpecProviders;
}

function renderProviders(
  databases: Record<string, DatabaseRenderer>,
  gateways: Record<string, GatewayRenderer>,
  secretStores: Record<string, SecretStoreRenderer>,
): RenderProviders {
  return {
    databases,
    gateways,
    secretStores,
    spec: {
      databases: Object.values(databases).map(r => r.info),
      gateways: Object.values(gateways).map(r => r.info),
      secretStores: Object.values(secretStores).map(r => r.info),
    },
  };
}

let builtIns: RenderProviders | undefined;

/** The built-in databases, gateways and stores (made on first use, once every renderer module has loaded). */
export function builtInRenderProviders(): RenderProviders {
  builtIns ??= renderProviders(
    builtInDatabaseRenderers(),
    builtInGatewayRenderers(),
    builtInSecretStoreRenderers(),
  );
  return builtIns;
}

/**
 * The built-ins plus added renderers. Throws, naming the id, for a malformed or clashing id, or a renderer whose
 * spec section does not carry its own id as `provider`.
 */
export function createRenderProviders(added: {
  databases?: readonly DatabaseRenderer[];
  gateways?: readonly GatewayRenderer[];
  secretStores?: readonly SecretStoreRenderer[];
}): RenderProviders {
  const all = [...(added.gateways ?? []), ...(added.secretStores ?? [])];
  for (const { info } of all) {
    const literal = info.spec.shape.provider?._def?.value;
    if (literal !== info.id) {
      throw new Error(
        `Open AMT provider "${info.id}": its spec section must have provider: z.literal('${info.id}') (gatewaySpecSection / secretsSpecSection build it)`,
      );
    }
  }
  for (const { info } of added.databases ?? [])
    requireDefaultPort(`database "${info.id}"`, info.defaultPort);
  return renderProviders(
    mergeProvidersById(
      'database renderer',
      builtInDatabaseRenderers(),
      added.databases ?? [],
      r => r.info.id,
    ),
    mergeProvidersById(
      'gateway renderer',
      builtInGatewayRenderers(),
      added.gateways ?? [],
      r => r.info.id,
    ),
    mergeProvidersById(
      'secrets store renderer',
      builtInSecretStoreRenderers(),
      added.secretStores ?? [],
      r => r.info.id,
    ),
  );
}

/*
 * A parsed spec remembers the providers it was parsed against, so the many helpers that take a spec (env, refs,
 * compose, Kubernetes, runbook, catalog-info) find its gateway and store without a second parameter each.
 */
const providersOfSpec = new WeakMap<DeploymentSpec, RenderProviders>();

/** Records which providers render this spec (the actions call it right after parsing). */
export function bindRenderProviders(
  spec: DeploymentSpec,
  providers: RenderProviders,
): DeploymentSpec {
  providersOfSpec.set(spec, providers);
  return spec;
}

/** The providers a spec was bound to; the built-ins for a spec nobody bound (tests, the benchmark). */
export function renderProvidersOf(spec: DeploymentSpec): RenderProviders {
  return providersOfSpec.get(spec) ?? builtInRenderProviders();
}

/** The database a spec names (registry entry and adapter); throws naming it when none has that id. */
export function databaseRendererOf(spec: DeploymentSpec): DatabaseRenderer {
  const renderer = own(
    renderProvidersOf(spec).databases,
    spec.database.provider,
  );
  if (!renderer)
    throw new Error(`No database renderer for "${spec.database.provider}"`);
  return renderer;
}

/** The renderer of the gateway a spec names; throws naming it when no renderer has that id. */
export function gatewayRendererOf(spec: DeploymentSpec): GatewayRenderer {
  const renderer = own(renderProvidersOf(spec).gateways, spec.gateway.provider);
  if (!renderer)
    throw new Error(`No gateway renderer for "${spec.gateway.provider}"`);
  return renderer;
}

/** The renderer of the secrets store a spec names; throws naming it when no renderer has that id. */
export function secretStoreRendererOf(
  spec: DeploymentSpec,
): SecretStoreRenderer {
  const renderer = own(
    renderProvidersOf(spec).secretStores,
    spec.secrets.provider,
  );
  if (!renderer)
    throw new Error(`No secrets store renderer for "${spec.secrets.provider}"`);
  return renderer;
}

/** The registry entries of the spec's database, secrets store and gateway, in that order. */
export function chosenProviderInfos(spec: DeploymentSpec) {
  return [
    databaseRendererOf(spec).info,
    secretStoreRendererOf(spec).info,
    gatewayRendererOf(spec).info,
  ];
}

function own<T>(map: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(map, id) ? map[id] : undefined;
}
