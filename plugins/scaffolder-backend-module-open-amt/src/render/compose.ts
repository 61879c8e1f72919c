/**
 * docker-compose.yml for a VM. Parts the user replaced with managed or external products (database,
 * secrets store, managed gateways) are absent; Kong/Tyk/ESPv2 run beside the services when chosen.
 * No top-level `name:` (docker-compose 1.29 rejects it): the project name is COMPOSE_PROJECT_NAME in .env.
 */
import { GATEWAY_TLS_DIR } from './gatewayTls';
import { CIRA_PORT, DeploymentSpec, GATEWAY_PROVIDERS, releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import { refEnvFile, resolveSecretsScript } from './composeSecrets';
import { EnvVar, serviceEnv, ServiceId, SERVICE_IDS, SERVICE_PORTS } from './env';
import { databaseCaFile } from '../secrets/databaseTls';
import { endpointsServiceName } from './gateways/googleCloudEndpoints';
import { GATEWAY_IMAGES } from './images';
import { SECRET_STORE_RENDERERS } from './secrets';
import { RenderedFile } from './types';
import { toYaml } from './yaml';

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
  webui: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${SERVICE_PORTS.webui.web}/`],
};

export function buildCompose(spec: DeploymentSpec) {
  const managedGateway = !GATEWAY_PROVIDERS[spec.gateway.provider].runsBesideServices;
  const services: Record<string, Record<string, unknown>> = {};
  for (const id of SERVICE_IDS) {
    const hasSecrets = id !== 'webui';
    services[id] = {
      image: spec.images[id],
      restart: 'always',
      ...(hasSecrets ? { env_file: [`env/${id}.env`, `secrets/${id}.env`] } : {}),
      environment: literalEnv(serviceEnv(spec, id)),
      ...(managedGateway ? { ports: publishedPorts(id) } : {}),
      healthcheck: { test: HEALTHCHECKS[id], interval: '15s', timeout: '10s', retries: 3, start_period: '30s' },
      networks: ['openamtnetwork'],
    };
  }
  services.rps.depends_on = ['mps'];
  const caFile = databaseCaFile(spec);
  // The operator puts the database's CA bundle into secrets/ (git-ignored) next to the resolved secrets.
  // The database's CA for every service that connects to it (sslrootcert, RPS_POSTGRES_SSL_CA).
  if (caFile) for (const id of ['mps', 'rps', 'mpsrouter'] as const) services[id].volumes = [`./secrets/database-ca.pem:${caFile}:ro`];
  services.mpsrouter.depends_on = ['mps'];
  if (spec.gateway.provider === 'kong') {
    services.kong = {
      image: releaseOf(spec).infrastructure.kong,
      restart: 'always',
      healthcheck: { test: ['CMD', 'kong', 'health'], interval: '10s', timeout: '10s', retries: 10 },
      environment: {
        KONG_DATABASE: 'off',
        KONG_DECLARATIVE_CONFIG: '/kong/kong.yaml',
        KONG_PROXY_LISTEN: '0.0.0.0:8443 ssl',
        KONG_STREAM_LISTEN: `0.0.0.0:${CIRA_PORT}`,
        KONG_ADMIN_LISTEN: '127.0.0.1:8001',
        // mps-router picks the MPS instance per TCP connection: pooled upstream connections would misroute devices.
        KONG_UPSTREAM_KEEPALIVE_POOL_SIZE: '0',
        // The public host's certificate (resolve-secrets.sh writes it from the store): without it Kong serves a self-signed one.
        KONG_SSL_CERT: `${GATEWAY_TLS_DIR}/tls.crt`,
        KONG_SSL_CERT_KEY: `${GATEWAY_TLS_DIR}/tls.key`,
      },
      volumes: ['./secrets/kong.yaml:/kong/kong.yaml:ro', `./secrets/gateway-tls:${GATEWAY_TLS_DIR}:ro`],
      ports: ['443:8443', `${CIRA_PORT}:${CIRA_PORT}`],
      depends_on: ['mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    };
  }
  if (spec.gateway.provider === 'tyk') {
    services.redis = { image: GATEWAY_IMAGES.redis, restart: 'always', networks: ['openamtnetwork'] };
    services.tyk = {
      image: GATEWAY_IMAGES.tyk,
      restart: 'always',
      env_file: ['secrets/tyk.env'],
      environment: {
        TYK_GW_LISTENPORT: '8443',
        TYK_GW_HTTPSERVEROPTIONS_USESSL: 'true',
        // The image's tyk.conf leaves WebSocket proxying off (relay, activation); strict routes stated, not inherited.
        TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS: 'true',
        TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES: 'true',
        // One PEM with certificate and key for the public host (resolve-secrets.sh writes it from the store).
        TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES: `${GATEWAY_TLS_DIR}/tls.pem`,
        // The control API on its own port, which is not published.
        TYK_GW_CONTROLAPIPORT: '9696',
        TYK_GW_STORAGE_HOST: 'redis',
        TYK_GW_STORAGE_PORT: '6379',
        TYK_GW_APPPATH: '/opt/tyk-gateway/apps',
        TYK_GW_POLICIES_POLICYSOURCE: 'file',
        TYK_GW_POLICIES_POLICYPATH: '/opt/tyk-gateway/policies',
        TYK_GW_ENABLEJSVM: 'false',
      },
      volumes: ['./secrets/tyk-apps:/opt/tyk-gateway/apps:ro', './gateway/tyk/policies:/opt/tyk-gateway/policies:ro', `./secrets/gateway-tls:${GATEWAY_TLS_DIR}:ro`],
      ports: ['443:8443', `${CIRA_PORT}:${CIRA_PORT}`],
      depends_on: ['redis', 'mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    };
  }
  if (spec.gateway.provider === 'google-cloud-endpoints') {
    services.espv2 = {
      image: GATEWAY_IMAGES.espv2,
      restart: 'always',
      command: [`--service=${endpointsServiceName(spec)}`, '--rollout_strategy=managed', '--listener_port=8443', '--healthz=healthz'],
      ports: ['443:8443'],
      // ESPv2 reaches the services by their compose names, on the project network.
      depends_on: ['mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    };
  }
  Object.assign(services, SECRET_STORE_RENDERERS[spec.secrets.provider].composeServices?.(spec));
  return { version: '3.8', services, networks: { openamtnetwork: { driver: 'bridge' } } };
}

export function renderCompose(spec: DeploymentSpec): RenderedFile[] {
  const extra = GATEWAY_PROVIDERS[spec.gateway.provider].extraLoadBalancers;
  return [
    {
      path: 'docker-compose.yml',
      content: `# Open AMT ${spec.name} (${spec.environment}). Run scripts/resolve-secrets.sh first.\n${
        extra.length ? `# Also needed: ${extra.join('; ')} (see gateway/).\n` : ''
      }${toYaml(buildCompose(spec))}`,
    },
    { path: '.env', content: `COMPOSE_PROJECT_NAME=${spec.name}\n` },
    ...(['mps', 'rps', 'mpsrouter'] as const).map(s => refEnvFile(spec, s)),
    resolveSecretsScript(spec),
    { path: '.gitignore', content: 'secrets/\n' },
  ];
}
