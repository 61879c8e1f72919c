/**
 * Kong DB-less declarative configuration, format 3.0 (the toolkit ships 2.1): exact-match routes use
 * `~` regex paths, prefixes stay plain; the JWT consumer credential key is the MPS issuer.
 * The credential secret is a template marker: resolve-secrets.sh (compose) or an External Secrets
 * template (Kubernetes) puts the value in, so no secret is committed.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  isProviderSection,
  releaseOf,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { GATEWAY_TLS_DIR, GATEWAY_TLS_SECRET } from '../gatewayTls';
import { IMAGE_USERS } from '../images';
import {
  deployment,
  K8sObject,
  labelsFor,
  service,
} from '../kubernetesWorkloads';
import { RenderedFile } from '../types';
import { toYaml } from '../yaml';
import { gatewayConfigSecretName } from './names';
import type { GatewayRenderer } from './types';
import { inClusterHost, JWT_SECRET_TEMPLATE, upstreamUrl } from './upstreams';

/**
 * Routes that must match exactly; Kong 3 evaluates `~` paths as regex before plain prefixes. The relay is a prefix:
 * the browser appends `/webrelay.ashx` and a query (the longer prefix wins over `/mps`).
 */
const EXACT_ROUTES = new Set(['mps-login']);

export function kongPath(route: { name: string; path: string }): string {
  return EXACT_ROUTES.has(route.name)
    ? `~${route.path.replace(/\./g, '\\.')}$`
    : route.path;
}

export function buildKongConfig(spec: DeploymentSpec) {
  const services = releaseOf(spec).gatewayRoutes.map(route => ({
    name: `${route.name}-service`,
    url: upstreamUrl(inClusterHost(spec, route.upstream.service), route),
    routes: [
      {
        name: route.name,
        paths: [kongPath(route)],
        strip_path: true,
        // websocket upgrades ride on http/https routes in Kong 3.
        protocols: ['http', 'https'],
      },
    ],
  }));
  services.push({
    name: 'mps-cira-service',
    url: `tcp://${inClusterHost(spec, 'mps')}:${CIRA_PORT}`,
    // Raw TLS passthrough: protocol tcp (not tls), so Kong never terminates the CIRA connection.
    routes: [
      {
        name: 'mps-cira',
        protocols: ['tcp'],
        destinations: [{ port: CIRA_PORT }],
      } as any,
    ],
  });
  return {
    _format_version: '3.0',
    _transform: true,
    services,
    consumers: [
      {
        username: 'open-amt-admin',
        jwt_secrets: [
          {
            key: spec.jwtIssuer,
            secret: JWT_SECRET_TEMPLATE,
            algorithm: 'HS256',
          },
        ],
      },
    ],
    plugins: [
      ...releaseOf(spec)
        .gatewayRoutes.filter(r => r.jwt)
        .map(r => ({
          name: 'jwt',
          route: r.name,
          config: {
            key_claim_name: 'iss',
            claims_to_verify: ['exp'],
            secret_is_base64: false,
          },
        })),
      {
        name: 'cors',
        config: {
          origins: [`https://${spec.gateway.publicHost}`],
          credentials: true,
          methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'],
          headers: ['Authorization', 'Content-Type', 'X-RPS-API-Key'],
          max_age: 3600,
        },
      },
    ],
  };
}

export function renderKong(spec: DeploymentSpec): RenderedFile[] {
  return [
    {
      path: 'gateway/kong/kong.yaml',
      content: `# Kong 3.x DB-less configuration for ${
        spec.name
      }. The credential secret is filled in at deploy time.\n${toYaml(
        buildKongConfig(spec),
      )}`,
    },
  ];
}

/** Namespaces labelled with this may reach Kong's admin API: the portal's, for the health probe (runbook). */
export const HEALTH_PROBE_NAMESPACE_LABEL = 'open-amt.io/health-probes';

/**
 * Kong's admin API can rewrite the whole configuration: only the proxy and CIRA ports are open to everyone; the admin
 * port only to namespaces labelled for the portal's health probe (needs a CNI that enforces NetworkPolicy).
 */
function kongAdminPolicy(spec: DeploymentSpec): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'kong-admin',
      namespace: spec.namespace,
      labels: labelsFor(spec, 'kong'),
    },
    spec: {
      podSelector: { matchLabels: labelsFor(spec, 'kong') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [
            { protocol: 'TCP', port: 8443 },
            { protocol: 'TCP', port: CIRA_PORT },
          ],
        },
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { [HEALTH_PROBE_NAMESPACE_LABEL]: 'true' },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8001 }],
        },
      ],
    },
  };
}

/** Kong's settings, compose or Kubernetes; only where the admin API listens differs. */
function kongEnv(adminListen: string): Record<string, string> {
  return {
    KONG_DATABASE: 'off',
    KONG_DECLARATIVE_CONFIG: '/kong/kong.yaml',
    KONG_PROXY_LISTEN: '0.0.0.0:8443 ssl',
    KONG_STREAM_LISTEN: `0.0.0.0:${CIRA_PORT}`,
    KONG_ADMIN_LISTEN: adminListen,
    // mps-router picks the MPS instance per TCP connection: pooled upstream connections would misroute devices.
    KONG_UPSTREAM_KEEPALIVE_POOL_SIZE: '0',
    // The public host's certificate (from the store): without it Kong serves a self-signed one.
    KONG_SSL_CERT: `${GATEWAY_TLS_DIR}/tls.crt`,
    KONG_SSL_CERT_KEY: `${GATEWAY_TLS_DIR}/tls.key`,
  };
}

export const kongRenderer: GatewayRenderer = {
  info: GATEWAY_PROVIDERS.kong,
  files: renderKong,
  probeUrl(spec) {
    const g = isProviderSection(spec.gateway, 'kong')
      ? spec.gateway
      : undefined;
    return g?.adminUrl ?? `http://${inClusterHost(spec, 'kong-admin')}:8001`;
  },
  composeServices: spec => ({
    kong: {
      image: releaseOf(spec).infrastructure.kong,
      restart: 'always',
      healthcheck: {
        test: ['CMD', 'kong', 'health'],
        interval: '10s',
        timeout: '10s',
        retries: 10,
      },
      // The admin API only on the VM's loopback: the portal's probe reaches it there (runbook).
      environment: kongEnv('127.0.0.1:8001'),
      volumes: [
        './secrets/kong.yaml:/kong/kong.yaml:ro',
        `./secrets/gateway-tls:${GATEWAY_TLS_DIR}:ro`,
      ],
      ports: ['443:8443', `${CIRA_PORT}:${CIRA_PORT}`],
      depends_on: ['mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    },
  }),
  kubernetesObjects: spec => [
    deployment(
      spec,
      'kong',
      2,
      {
        image: releaseOf(spec).infrastructure.kong,
        // The admin API on every address, fenced by the NetworkPolicy kong-admin.
        env: Object.entries(kongEnv('0.0.0.0:8001')).map(([name, value]) => ({
          name,
          value,
        })),
        ports: [
          { name: 'https', containerPort: 8443 },
          { name: 'cira', containerPort: CIRA_PORT },
          { name: 'admin', containerPort: 8001 },
        ],
        volumeMounts: [
          { name: 'config', mountPath: '/kong', readOnly: true },
          {
            name: GATEWAY_TLS_SECRET,
            mountPath: GATEWAY_TLS_DIR,
            readOnly: true,
          },
        ],
        readinessProbe: { tcpSocket: { port: 8443 }, periodSeconds: 10 },
      },
      {
        volumes: [
          {
            name: 'config',
            secret: { secretName: gatewayConfigSecretName(spec) },
          },
          {
            name: GATEWAY_TLS_SECRET,
            secret: { secretName: GATEWAY_TLS_SECRET },
          },
        ],
        user: IMAGE_USERS.kong,
      },
    ),
    service(
      spec,
      'kong',
      { https: [443, 8443], cira: CIRA_PORT },
      'public-tcp',
    ),
    service(spec, 'kong', { admin: 8001 }, undefined, 'kong-admin'),
    kongAdminPolicy(spec),
  ],
  jwtReload: { workload: 'kong' },
  jwtConfig: {
    // bash's own substitution (quoted pattern and replacement: literal, `&` included), no interpreter on the host.
    resolveScript: () => [
      'jwt_secret=$(jq -r .secret <<<"$entry_jwt")',
      'kong_config=$(<gateway/kong/kong.yaml)',
      `printf '%s\\n' "\${kong_config//"${JWT_SECRET_TEMPLATE}"/"$jwt_secret"}" > secrets/kong.yaml`,
    ],
    kubernetesTemplates: spec => ({
      'kong.yaml': toYaml(buildKongConfig(spec)),
    }),
  },
  runbookSteps: spec =>
    TARGETS[spec.target].platform === 'compose'
      ? []
      : [
          `Label the namespace the Backstage portal runs in with \`${HEALTH_PROBE_NAMESPACE_LABEL}=true\` (\`kubectl label namespace <portal-namespace> ${HEALTH_PROBE_NAMESPACE_LABEL}=true\`): the NetworkPolicy \`kong-admin\` admits only those namespaces to Kong's admin API (port 8001), which the health probe reads. The cluster's CNI must enforce NetworkPolicy.`,
        ],
};
