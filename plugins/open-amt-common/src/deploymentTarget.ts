import { OPEN_AMT_ANNOTATIONS } from './annotations';
import { CIRA_PORT } from './gatewayRoutes';
import { HOSTNAME_PATTERN } from './hostnames';
import {
  DATABASE_PROVIDERS,
  DatabaseProviderId,
  GATEWAY_PROVIDERS,
  GatewayProviderId,
  SECRETS_PROVIDERS,
  SecretsProviderId,
} from './providers';
import {
  isToolkitReleaseId,
  TOOLKIT_RELEASE_IDS,
  UNANNOTATED_TOOLKIT_RELEASE,
} from './releases';

/** The least of a catalog entity this parser needs (keeps common free of @backstage/catalog-model). */
export interface DeploymentEntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
  };
  spec?: { owner?: unknown } & Record<string, unknown>;
  /** As the catalog stitched them; `ownedBy` names the owners the catalog confirms. */
  relations?: { type: string; targetRef: string }[];
}

/** Everything the annotations of a deployment System say, typed; credentials are only referenced. */
export interface DeploymentTarget {
  /** `system:<namespace>/<name>`, lower-cased kind as the catalog writes refs. */
  entityRef: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  /**
   * The owners the catalog confirms (its `ownedBy` relations, full entity refs), as opposed to `owner`, the
   * spec's text. Empty when the entity was read without relations or the owner does not resolve.
   */
  ownedBy: string[];
  /** Value of open-amt.io/deployment. */
  deployment: string;
  target?: string;
  /**
   * open-amt.io/toolkit-release; v2.26.0 when the annotation is absent (deployments scaffolded before it existed),
   * undefined when it names a release this portal does not know (listed in `problems`).
   */
  toolkitRelease?: string;
  /** open-amt.io/toolkit-release as written (also an unknown release); undefined when absent. Drift reads it. */
  annotatedToolkitRelease?: string;
  simulated: boolean;
  services: { mps?: string; rps?: string; mpsrouter?: string; webui?: string };
  /** Provider ids as annotated (also when the rest of that part is unusable). */
  providers: { database?: string; secrets?: string; gateway?: string };
  database?: {
    /** A registry id, or one of `addedProviders.database` (readDeploymentTarget's options). */
    provider: DatabaseProviderId | (string & {});
    host: string;
    port: number;
    tlsMode: 'disable' | 'require' | 'verify-full';
    rpsDatabase: string;
    mpsDatabase: string;
    /** The deployment's release: its schema says which tables the probe expects. */
    toolkitRelease?: string;
  };
  /** `provider` is a registry id, or one of `addedProviders` (readDeploymentTarget's options). */
  secrets?: {
    provider: SecretsProviderId | (string & {});
    endpoint: string;
    mount?: string;
  };
  gateway?: { provider: GatewayProviderId | (string & {}); url: string };
  /** MPS's CIRA endpoint: where the portal connects, and the name (MPS_COMMON_NAME) its certificate must cover. */
  cira?: { host: string; port: number; commonName: string };
  credentialsRef?: string;
  /** Annotations present but unusable, one sentence each (shown instead of probing that part). */
  problems: string[];
}

const TLS_MODES = ['disable', 'require', 'verify-full'] as const;

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(value);
}

function ownerOf(entity: DeploymentEntityLike): string | undefined {
  return typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
}

/** `host:port`, `[v6]:port` or a bare host (default port of the provider). */
function parseHostPort(
  value: string,
  defaultPort: number,
): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:\s/]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return undefined;
  const port = match[2] ? Number(match[2]) : defaultPort;
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/** A DNS name or an IP literal (MPS_COMMON_NAME may be an address in small installations). */
function isHostName(value: string): boolean {
  const ipv6 = /^[0-9a-f:.]+$/i.test(value) && value.includes(':');
  return HOSTNAME_PATTERN.test(value) || ipv6;
}

/** True when the entity is a System that names an Open AMT deployment. */
export function isOpenAmtDeployment(entity: DeploymentEntityLike): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'system' &&
    Boolean(entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.deployment])
  );
}

export interface ReadDeploymentTargetOptions {
  /**
   * Secrets store and gateway ids the reader's portal has adapters for besides the registry's (added by an adopter's
   * backend module): annotations naming them are read like a built-in's instead of listed as unknown.
   */
  addedProviders?: {
    secrets?: readonly string[];
    gateway?: readonly string[];
    /** Added databases, with the port an endpoint without one means. */
    database?: Readonly<Record<string, { defaultPort: number }>>;
  };
}

/** The registry's database, or an added one: its id and default port; undefined when neither knows the id. */
function databaseInfo(
  id: string,
  added: Readonly<Record<string, { defaultPort: number }>> | undefined,
): { defaultPort: number } | undefined {
  if (Object.prototype.hasOwnProperty.call(DATABASE_PROVIDERS, id))
    return DATABASE_PROVIDERS[id as DatabaseProviderId];
  return added && Object.prototype.hasOwnProperty.call(added, id)
    ? added[id]
    : undefined;
}

function knownId(
  registry: object,
  added: readonly string[] | undefined,
  id: string,
): boolean {
  return (
    Object.prototype.hasOwnProperty.call(registry, id) ||
    Boolean(added?.includes(id))
  );
}

/**
 * Reads the open-amt.io annotations of a deployment System into a typed target. Returns undefined for
 * entities that are not deployments; unusable values are listed in `problems` rather than thrown, so one
 * bad annotation leaves the rest of the deployment observable.
 */
export function readDeploymentTarget(
  entity: DeploymentEntityLike,
  options: ReadDeploymentTargetOptions = {},
): DeploymentTarget | undefined {
  if (!isOpenAmtDeployment(entity)) return undefined;
  const a = entity.metadata.annotations ?? {};
  const namespace = entity.metadata.namespace ?? 'default';
  const problems: string[] = [];
  const get = (key: keyof typeof OPEN_AMT_ANNOTATIONS) =>
    a[OPEN_AMT_ANNOTATIONS[key]]?.trim() || undefined;

  const url = (
    key: 'mpsUrl' | 'rpsUrl' | 'mpsRouterUrl' | 'webUiUrl' | 'gatewayUrl',
  ) => {
    const value = get(key);
    if (value && !isHttpUrl(value)) {
      problems.push(`${OPEN_AMT_ANNOTATIONS[key]} must be an http(s) URL`);
      return undefined;
    }
    return value;
  };

  const release = get('toolkitRelease') ?? UNANNOTATED_TOOLKIT_RELEASE.id;
  const toolkitRelease = isToolkitReleaseId(release) ? release : undefined;
  if (!toolkitRelease) {
    problems.push(
      `${
        OPEN_AMT_ANNOTATIONS.toolkitRelease
      }: unknown release "${release}" (this portal knows ${TOOLKIT_RELEASE_IDS.join(
        ', ',
      )})`,
    );
  }

  const target: DeploymentTarget = {
    entityRef: `system:${namespace}/${entity.metadata.name}`.toLocaleLowerCase(
      'en-US',
    ),
    namespace,
    name: entity.metadata.name,
    title: entity.metadata.title,
    owner: ownerOf(entity),
    ownedBy: (entity.relations ?? [])
      .filter(r => r.type === 'ownedBy')
      .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    deployment: get('deployment')!,
    target: get('target'),
    toolkitRelease,
    annotatedToolkitRelease: get('toolkitRelease'),
    simulated: get('simulated') === 'true',
    services: {
      mps: url('mpsUrl'),
      rps: url('rpsUrl'),
      mpsrouter: url('mpsRouterUrl'),
      webui: url('webUiUrl'),
    },
    providers: {
      database: get('databaseProvider'),
      secrets: get('secretsProvider'),
      gateway: get('gatewayProvider'),
    },
    credentialsRef: get('credentialsRef'),
    problems,
  };

  const dbProvider = get('databaseProvider');
  if (dbProvider) {
    const info = databaseInfo(dbProvider, options.addedProviders?.database);
    const endpoint = get('databaseEndpoint');
    const tlsMode = get('databaseTlsMode') ?? 'verify-full';
    if (!info)
      problems.push(
        `${OPEN_AMT_ANNOTATIONS.databaseProvider}: unknown provider "${dbProvider}"`,
      );
    else if (!endpoint)
      problems.push(`${OPEN_AMT_ANNOTATIONS.databaseEndpoint} is missing`);
    else if (!(TLS_MODES as readonly string[]).includes(tlsMode))
      problems.push(
        `${
          OPEN_AMT_ANNOTATIONS.databaseTlsMode
        } must be one of ${TLS_MODES.join(', ')}`,
      );
    else {
      const hostPort = parseHostPort(endpoint, info.defaultPort);
      if (!hostPort)
        problems.push(
          `${OPEN_AMT_ANNOTATIONS.databaseEndpoint} must be host:port`,
        );
      else
        target.database = {
          provider: dbProvider,
          ...hostPort,
          tlsMode: tlsMode as (typeof TLS_MODES)[number],
          rpsDatabase: get('rpsDatabase') ?? 'rpsdb',
          mpsDatabase: get('mpsDatabase') ?? 'mpsdb',
          ...(toolkitRelease ? { toolkitRelease } : {}),
        };
    }
  }

  const secretsProvider = get('secretsProvider');
  if (secretsProvider) {
    const endpoint = get('secretsEndpoint');
    if (
      !knownId(
        SECRETS_PROVIDERS,
        options.addedProviders?.secrets,
        secretsProvider,
      )
    )
      problems.push(
        `${OPEN_AMT_ANNOTATIONS.secretsProvider}: unknown provider "${secretsProvider}"`,
      );
    else if (!endpoint)
      problems.push(`${OPEN_AMT_ANNOTATIONS.secretsEndpoint} is missing`);
    else
      target.secrets = {
        provider: secretsProvider,
        endpoint,
        mount: get('secretsMount'),
      };
  }

  const gatewayProvider = get('gatewayProvider');
  if (gatewayProvider) {
    const gatewayUrl = url('gatewayUrl');
    if (
      !knownId(
        GATEWAY_PROVIDERS,
        options.addedProviders?.gateway,
        gatewayProvider,
      )
    )
      problems.push(
        `${OPEN_AMT_ANNOTATIONS.gatewayProvider}: unknown provider "${gatewayProvider}"`,
      );
    else if (!gatewayUrl) {
      if (!get('gatewayUrl'))
        problems.push(`${OPEN_AMT_ANNOTATIONS.gatewayUrl} is missing`);
    } else target.gateway = { provider: gatewayProvider, url: gatewayUrl };
  }

  const cira = readCira(get('mpsCommonName'), get('ciraEndpoint'));
  if (typeof cira === 'string') problems.push(cira);
  else if (cira) target.cira = cira;

  return target;
}

/** The CIRA endpoint from its two annotations, a problem sentence, or undefined when neither is set. */
function readCira(
  commonName: string | undefined,
  endpoint: string | undefined,
): DeploymentTarget['cira'] | string {
  const { mpsCommonName, ciraEndpoint } = OPEN_AMT_ANNOTATIONS;
  if (!commonName) {
    return endpoint
      ? `${mpsCommonName} is missing: the CIRA probe needs the name MPS's certificate must cover`
      : undefined;
  }
  if (!isHostName(commonName))
    return `${mpsCommonName} must be a host name (MPS_COMMON_NAME), not "${commonName}"`;
  if (!endpoint) return { host: commonName, port: CIRA_PORT, commonName };
  const hostPort = parseHostPort(endpoint, CIRA_PORT);
  if (!hostPort || !isHostName(hostPort.host))
    return `${ciraEndpoint} must be host:port, e.g. ${commonName}:${CIRA_PORT}`;
  return { ...hostPort, commonName };
}

/** Same as {@link readDeploymentTarget}; the name the team brief uses. */
export const readDeploymentTargets = readDeploymentTarget;
