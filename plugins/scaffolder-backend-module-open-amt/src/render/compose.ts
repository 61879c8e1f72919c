/**
 * docker-compose.yml for a VM. Parts the user replaced with managed or external products (database,
 * secrets store, managed gateways) are absent; Kong/Tyk/ESPv2 run beside the services when chosen.
 * No top-level `name:` (docker-compose 1.29 rejects it): the project name is COMPOSE_PROJECT_NAME in .env.
 */
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf, secretStoreRendererOf } from './providers';
import { refEnvFile, resolveSecretsScript } from './composeSecrets';
import {
  EnvVar,
  serviceEnv,
  ServiceId,
  SERVICE_IDS,
  SERVICE_PORTS,
} from './env';
import { databaseCaFile } from '../secrets/databaseTls';
import { RenderedFile } from './types';
import { toYaml } from './yaml';
import {
  renderWebUiFiles,
  WEBUI_NGINX_CONF_PATH,
  WEBUI_NGINX_FILE,
} from './webui';
import { imageUser } from './images';

function literalEnv(vars: EnvVar[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of vars) {
    if ('value' in v) env[v.name] = v.value;
    else if ('composeValue' in v) env[v.name] = v.composeValue;
  }
  return env;
}

/**
 * Ports a managed gateway reaches on the VM (internal.<fqdn>); 4433 is what the cloud load balancer
 * forwards to MPS untouched.
 */
function publishedPorts(service: ServiceId): string[] {
  return Object.values(SERVICE_PORTS[service]).map(p => `${p}:${p}`);
}

/**
 * Health checks with what each image has (upstream compose does the same): MPS and RPS run node, so a node one-liner
 * asks their health endpoint; mps-router's binary has `--health`; nginx answers on 80 (busybox wget in the image).
 */
const healthGet = (port: number, path: string) => [
  'CMD',
  'node',
  '-e',
  `require('http').get('http://127.0.0.1:${port}${path}', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))`,
];
const HEALTHCHECKS: Record<ServiceId, string[]> = {
  mps: healthGet(SERVICE_PORTS.mps.web, '/api/v1/health'),
  rps: healthGet(SERVICE_PORTS.rps.web, '/api/v1/admin/health'),
  mpsrouter: ['CMD', '/app', '--health'],
  webui: [
    'CMD',
    'wget',
    '-q',
    '-O',
    '/dev/null',
    `http://127.0.0.1:${SERVICE_PORTS.webui.web}/`,
  ],
};

/**
 * Every string as written reaches the container: compose interpolates `$` when it reads the file
 * (`$NAME` → the operator's shell or .env, unset → ""), so each `$` is written `$$` (one `$` after interpolation).
 * Nothing here is meant to be filled in by compose: .env holds only the project name.
 */
function composeLiteral<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map(composeLiteral) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, composeLiteral(v)]),
    ) as T;
  return value;
}

export function buildCompose(spec: DeploymentSpec) {
  const gateway = gatewayRendererOf(spec).info;
  const managedGateway = !gateway.runsBesideServices;
  const services: Record<string, Record<string, unknown>> = {};
  for (const id of SERVICE_IDS) {
    const hasSecrets = id !== 'webui';
    services[id] = {
      image: spec.images[id],
      restart: 'always',
      ...(hasSecrets
        ? { env_file: [`env/${id}.env`, `secrets/${id}.env`] }
        : {}),
      environment: literalEnv(serviceEnv(spec, id)),
      ...(managedGateway ? { ports: publishedPorts(id) } : {}),
      healthcheck: {
        test: HEALTHCHECKS[id],
        interval: '15s',
        timeout: '10s',
        retries: 3,
        start_period: '30s',
      },
      networks: ['openamtnetwork'],
    };
  }
  // A gateway beside the services that cannot pass CIRA through: the cloud load balancer reaches MPS's port on the VM.
  if (!managedGateway && !gateway.carriesCiraTcp)
    services.mps.ports = [
      `${SERVICE_PORTS.mps.cira}:${SERVICE_PORTS.mps.cira}`,
    ];
  services.rps.depends_on = ['mps'];
  const caFile = databaseCaFile(spec);
  // The operator puts the database's CA bundle into secrets/ (git-ignored) next to the resolved secrets.
  // The database's CA for every service that connects to it (sslrootcert, RPS_POSTGRES_SSL_CA).
  if (caFile)
    for (const id of ['mps', 'rps', 'mpsrouter'] as const)
      services[id].volumes = [`./secrets/database-ca.pem:${caFile}:ro`];
  services.mpsrouter.depends_on = ['mps'];
  // The Web UI's server block (SPA fallback), read by nginx's master, which runs as root: a checked-out file suffices.
  services.webui.volumes = [
    `./${WEBUI_NGINX_FILE}:${WEBUI_NGINX_CONF_PATH}:ro`,
  ];
  Object.assign(services, gatewayRendererOf(spec).composeServices?.(spec));
  Object.assign(services, secretStoreRendererOf(spec).composeServices?.(spec));
  pinSecretReaders(spec, services);
  return {
    version: '3.8',
    services: composeLiteral(services),
    networks: { openamtnetwork: { driver: 'bridge' } },
  };
}

/** A bind mount of a file resolve-secrets.sh writes (`./secrets/…`): its path in the repository. */
const secretsMount = (volume: unknown) =>
  typeof volume === 'string' && volume.startsWith('./secrets/')
    ? volume.split(':')[0].slice(2)
    : undefined;

/**
 * Services that mount files from secrets/ run as the user Kubernetes pins for their image (`user: uid:gid`), so
 * resolve-secrets.sh can hand those files to exactly that user (mode 0400) instead of leaving them to whoever ran it.
 */
function pinSecretReaders(
  spec: DeploymentSpec,
  services: Record<string, Record<string, unknown>>,
) {
  for (const [name, service] of Object.entries(services)) {
    const mounts = ((service.volumes as unknown[]) ?? []).filter(secretsMount);
    const user = imageUser(spec, name, service.image);
    if (mounts.length && user && service.user === undefined)
      service.user = `${user.uid}:${user.uid}`;
  }
}

/**
 * Who must own each secrets/ path a container mounts (its pinned user, `uid:gid`); undefined when the service's user
 * is unknown (an added gateway's image) or two services of different users mount it: resolve-secrets.sh says so.
 */
export function secretFileOwners(
  compose: ReturnType<typeof buildCompose>,
): Array<{ path: string; owner?: string; service: string }> {
  const owners = new Map<string, { owner?: string; service: string }>();
  for (const [name, service] of Object.entries(compose.services)) {
    for (const path of ((service.volumes as unknown[]) ?? [])
      .map(secretsMount)
      .filter((p): p is string => Boolean(p))) {
      const owner = service.user as string | undefined;
      const seen = owners.get(path);
      owners.set(path, {
        owner: seen && seen.owner !== owner ? undefined : owner,
        service: seen ? `${seen.service}, ${name}` : name,
      });
    }
  }
  return [...owners].map(([path, o]) => ({ path, ...o }));
}

export function renderCompose(spec: DeploymentSpec): RenderedFile[] {
  const extra = gatewayRendererOf(spec).info.extraLoadBalancers;
  const compose = buildCompose(spec);
  return [
    {
      path: 'docker-compose.yml',
      content: `# Open AMT ${spec.name} (${
        spec.environment
      }). Run scripts/resolve-secrets.sh first.\n${
        extra.length
          ? `# Also needed: ${extra.join('; ')} (see gateway/).\n`
          : ''
      }${toYaml(compose)}`,
    },
    { path: '.env', content: `COMPOSE_PROJECT_NAME=${spec.name}\n` },
    ...(['mps', 'rps', 'mpsrouter'] as const).map(s => refEnvFile(spec, s)),
    resolveSecretsScript(spec, secretFileOwners(compose)),
    ...renderWebUiFiles(),
    { path: '.gitignore', content: 'secrets/\n' },
  ];
}
