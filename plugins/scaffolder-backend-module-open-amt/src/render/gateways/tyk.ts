/**
 * Tyk classic API definitions (one per route) + one policy file per policy (policies.policy_path is a directory:
 * TykTechnologies/tyk v5.8.1 gateway/policy.go:94-118). JWT routes use HMAC with the identity in `iss` (MPS puts the
 * issuer there); `jwt_source` is a template marker filled at deploy time (it is the shared secret, base64). CIRA goes
 * through a Tyk TCP API on 4433, which only opens when ports_whitelist allows tcp:4433 (gateway/proxy_muxer.go:499-506).
 * The behaviour is modelled, with Tyk's own test vectors, in __testUtils__/conformance/tykGateway.ts.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  isProviderSection,
  releaseOf,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { ESO_API } from '../externalSecretsApi';
import { GATEWAY_TLS_DIR, GATEWAY_TLS_SECRET } from '../gatewayTls';
import { GATEWAY_IMAGES, IMAGE_USERS } from '../images';
import {
  deployment,
  K8sObject,
  labelsFor,
  service,
} from '../kubernetesWorkloads';
import { RenderedFile } from '../types';
import { HEALTH_PROBE_NAMESPACE_LABEL } from './kong';
import { gatewayConfigSecretName } from './names';
import type { GatewayRenderer } from './types';
import { inClusterHost, upstreamUrl } from './upstreams';

export const TYK_POLICY_ID = 'open-amt-jwt';
/** The APIs' and the policy's organisation: a JWT session takes a default policy only of its API's org (mw_jwt.go:790-811). */
const TYK_ORG_ID = 'open-amt';
const JWT_SOURCE_TEMPLATE = '{{ .jwtSecretBase64 }}';

function baseApi(spec: DeploymentSpec, id: string) {
  return {
    name: `${spec.name} ${id}`,
    api_id: `${spec.name}-${id}`,
    org_id: TYK_ORG_ID,
    active: true,
    version_data: {
      not_versioned: true,
      default_version: 'Default',
      versions: { Default: { name: 'Default' } },
    },
  };
}

export function buildTykApis(spec: DeploymentSpec) {
  const apis: Record<string, unknown>[] = releaseOf(spec).gatewayRoutes.map(
    route => ({
      ...baseApi(spec, route.name),
      protocol: 'https',
      use_keyless: !route.jwt,
      enable_jwt: route.jwt,
      ...(route.jwt
        ? {
            jwt_signing_method: 'hmac',
            jwt_source: JWT_SOURCE_TEMPLATE,
            jwt_identity_base_field: 'iss',
            jwt_policy_field_name: 'pol',
            jwt_default_policies: [TYK_POLICY_ID],
          }
        : {}),
      proxy: {
        // No trailing slash: with strict routes (the image's tyk.conf) `/mps` answers `/mps` and `/mps/…` only, and the
        // login's exact path matches itself (`/mps/login/…/authorize/` would not, and the request would fall to `/mps`).
        listen_path: route.path,
        target_url: upstreamUrl(
          inClusterHost(spec, route.upstream.service),
          route,
        ),
        strip_listen_path: true,
      },
      ...(route.websocket ? { enable_websockets: true } : {}),
      CORS: {
        enable: true,
        allowed_origins: [`https://${spec.gateway.publicHost}`],
        allow_credentials: true,
      },
    }),
  );
  apis.push({
    ...baseApi(spec, 'mps-cira'),
    protocol: 'tcp',
    listen_port: CIRA_PORT,
    use_keyless: true,
    proxy: {
      listen_path: '',
      target_url: `tcp://${inClusterHost(spec, 'mps')}:${CIRA_PORT}`,
    },
  });
  return apis;
}

/** The JWT APIs' default policy: one object, in its own file (Tyk reads every *.json of policy_path as one policy). */
export function buildTykPolicy(spec: DeploymentSpec) {
  const access_rights: Record<string, unknown> = {};
  for (const route of releaseOf(spec).gatewayRoutes.filter(r => r.jwt)) {
    const apiId = `${spec.name}-${route.name}`;
    access_rights[apiId] = {
      api_id: apiId,
      api_name: `${spec.name} ${route.name}`,
      versions: ['Default'],
    };
  }
  return {
    id: TYK_POLICY_ID,
    name: 'Open AMT JWT',
    org_id: TYK_ORG_ID,
    active: true,
    rate: 1000,
    per: 1,
    quota_max: -1,
    access_rights,
  };
}

const TYK_POLICY_FILE = `${TYK_POLICY_ID}.json`;

export function renderTyk(spec: DeploymentSpec): RenderedFile[] {
  return [
    ...buildTykApis(spec).map(api => ({
      path: `gateway/tyk/apps/${String(api.api_id)}.json`,
      content: `${JSON.stringify(api, null, 2)}\n`,
    })),
    {
      path: `gateway/tyk/policies/${TYK_POLICY_FILE}`,
      content: `${JSON.stringify(buildTykPolicy(spec), null, 2)}\n`,
    },
  ];
}

/** Where Tyk reads its API definitions and policies, and the control API's own port (only the fenced tyk-control Service carries it). */
const TYK_APP_DIR = '/opt/tyk-gateway/apps';
export const TYK_POLICY_DIR = '/opt/tyk-gateway/policies';
export const TYK_CONTROL_PORT = 9696;
const TYK_LISTEN_PORT = 8443;

/** Where the control port answers: the compose service, or the cluster-internal tyk-control Service. */
function tykControlHost(spec: DeploymentSpec): string {
  return TARGETS[spec.target].platform === 'compose'
    ? inClusterHost(spec, 'tyk')
    : inClusterHost(spec, 'tyk-control');
}

/**
 * tyk.conf overrides (TYK_GW_*, over the image's tyk.conf.example), the same on every target. Sources are
 * TykTechnologies/tyk v5.8.1 files, cited in __testUtils__/conformance/tykGateway.ts.
 */
function tykSettings(): Record<string, string> {
  return {
    TYK_GW_LISTENPORT: String(TYK_LISTEN_PORT),
    // HTTPS with the public host's certificate: one PEM with certificate and key (the store holds it).
    TYK_GW_HTTPSERVEROPTIONS_USESSL: 'true',
    TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES: `${GATEWAY_TLS_DIR}/tls.pem`,
    // The image's tyk.conf leaves WebSocket proxying off (relay, activation); strict routes stated, not inherited.
    TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS: 'true',
    TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES: 'true',
    // The control API (and /hello) on its own port, which nothing public carries.
    TYK_GW_CONTROLAPIPORT: String(TYK_CONTROL_PORT),
    // Only the listen and control ports are whitelisted by themselves: the CIRA TCP API needs tcp:4433.
    TYK_GW_PORTWHITELIST: JSON.stringify({ tcp: { ports: [CIRA_PORT] } }),
    // mps-router binds each connection to one MPS instance: no upstream keep-alive pool (the image keeps 500 per host).
    TYK_GW_PROXYCLOSECONNECTIONS: 'true',
    TYK_GW_STORAGE_HOST: 'redis',
    TYK_GW_STORAGE_PORT: '6379',
    TYK_GW_APPPATH: TYK_APP_DIR,
    // The JWT APIs' default policy comes from this directory: without it every JWT request is refused.
    TYK_GW_POLICIES_POLICYSOURCE: 'file',
    TYK_GW_POLICIES_POLICYPATH: TYK_POLICY_DIR,
    TYK_GW_ENABLEJSVM: 'false',
  };
}

/**
 * The control API can reload and rewrite APIs (with the secret): its Service is cluster-internal and a NetworkPolicy
 * admits its port only from namespaces labelled for the portal's health probe (the proxy and CIRA ports stay open).
 */
function tykControlPolicy(spec: DeploymentSpec): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'tyk-control',
      namespace: spec.namespace,
      labels: labelsFor(spec, 'tyk'),
    },
    spec: {
      podSelector: { matchLabels: labelsFor(spec, 'tyk') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [
            { protocol: 'TCP', port: TYK_LISTEN_PORT },
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
          ports: [{ protocol: 'TCP', port: TYK_CONTROL_PORT }],
        },
      ],
    },
  };
}

/** Tyk's control API secret (TYK_GW_SECRET), generated in the cluster by External Secrets' Password generator. */
export const TYK_CONTROL_SECRET = 'tyk-control';

function tykControlSecret(spec: DeploymentSpec): K8sObject[] {
  return [
    {
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: { name: TYK_CONTROL_SECRET, namespace: spec.namespace },
      spec: {
        length: 40,
        digits: 10,
        symbols: 0,
        noUpper: false,
        allowRepeat: true,
      },
    },
    {
      apiVersion: ESO_API,
      kind: 'ExternalSecret',
      metadata: { name: TYK_CONTROL_SECRET, namespace: spec.namespace },
      spec: {
        // Generated once and kept: a refresh would change the secret under running gateways.
        refreshInterval: '0',
        target: { name: TYK_CONTROL_SECRET, creationPolicy: 'Owner' },
        dataFrom: [
          {
            sourceRef: {
              generatorRef: {
                apiVersion: 'generators.external-secrets.io/v1alpha1',
                kind: 'Password',
                name: TYK_CONTROL_SECRET,
              },
            },
          },
        ],
      },
    },
  ];
}

export const tykRenderer: GatewayRenderer = {
  info: GATEWAY_PROVIDERS.tyk,
  files: renderTyk,
  probeUrl(spec) {
    const g = isProviderSection(spec.gateway, 'tyk') ? spec.gateway : undefined;
    // The portal's Tyk probe appends /hello, which answers only on the control port once control_api_port is set
    // (on the public port the Web UI's API would take it).
    return (
      g?.gatewayUrl ?? `https://${tykControlHost(spec)}:${TYK_CONTROL_PORT}`
    );
  },
  composeServices: () => ({
    redis: {
      image: GATEWAY_IMAGES.redis,
      restart: 'always',
      networks: ['openamtnetwork'],
    },
    tyk: {
      image: GATEWAY_IMAGES.tyk,
      restart: 'always',
      env_file: ['secrets/tyk.env'],
      environment: tykSettings(),
      volumes: [
        `./secrets/tyk-apps:${TYK_APP_DIR}:ro`,
        `./gateway/tyk/policies:${TYK_POLICY_DIR}:ro`,
        `./secrets/gateway-tls:${GATEWAY_TLS_DIR}:ro`,
      ],
      ports: [`443:${TYK_LISTEN_PORT}`, `${CIRA_PORT}:${CIRA_PORT}`],
      depends_on: ['redis', 'mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    },
  }),
  kubernetesObjects: spec => [
    deployment(
      spec,
      'redis',
      1,
      {
        image: GATEWAY_IMAGES.redis,
        ports: [{ name: 'redis', containerPort: 6379 }],
      },
      { user: IMAGE_USERS.redis },
    ),
    service(spec, 'redis', { redis: 6379 }),
    deployment(
      spec,
      'tyk',
      2,
      {
        image: GATEWAY_IMAGES.tyk,
        env: [
          ...Object.entries(tykSettings()).map(([name, value]) => ({
            name,
            value,
          })),
          // The control API's secret, generated in the cluster.
          {
            name: 'TYK_GW_SECRET',
            valueFrom: {
              secretKeyRef: { name: TYK_CONTROL_SECRET, key: 'password' },
            },
          },
        ],
        ports: [
          { name: 'https', containerPort: TYK_LISTEN_PORT },
          { name: 'cira', containerPort: CIRA_PORT },
          { name: 'control', containerPort: TYK_CONTROL_PORT },
        ],
        volumeMounts: [
          { name: 'apps', mountPath: TYK_APP_DIR, readOnly: true },
          { name: 'policies', mountPath: TYK_POLICY_DIR, readOnly: true },
          {
            name: GATEWAY_TLS_SECRET,
            mountPath: GATEWAY_TLS_DIR,
            readOnly: true,
          },
        ],
        // /hello is served by the control router only, on control_api_port, over HTTPS like the listen port.
        readinessProbe: {
          httpGet: { path: '/hello', port: TYK_CONTROL_PORT, scheme: 'HTTPS' },
          periodSeconds: 10,
        },
      },
      {
        volumes: [
          {
            name: 'apps',
            secret: { secretName: gatewayConfigSecretName(spec) },
          },
          { name: 'policies', configMap: { name: 'tyk-policies' } },
          {
            name: GATEWAY_TLS_SECRET,
            secret: { secretName: GATEWAY_TLS_SECRET },
          },
        ],
        user: IMAGE_USERS.tyk,
      },
    ),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tyk-policies', namespace: spec.namespace },
      data: {
        [TYK_POLICY_FILE]: JSON.stringify(buildTykPolicy(spec), null, 2),
      },
    },
    service(
      spec,
      'tyk',
      { https: [443, TYK_LISTEN_PORT], cira: CIRA_PORT },
      'public-tcp',
    ),
    service(
      spec,
      'tyk',
      { control: TYK_CONTROL_PORT },
      undefined,
      'tyk-control',
    ),
    tykControlPolicy(spec),
  ],
  kubernetesSecrets: tykControlSecret,
  jwtReload: { workload: 'tyk' },
  jwtConfig: {
    resolveScript: () => [
      'JWT_B64=$(jq -r .secret <<<"$entry_jwt" | tr -d "\\n" | base64 -w0)',
      'mkdir -p secrets/tyk-apps && for f in gateway/tyk/apps/*.json; do sed "s|{{ .jwtSecretBase64 }}|$JWT_B64|" "$f" > "secrets/tyk-apps/$(basename "$f")"; done',
      'printf "TYK_GW_SECRET=%s\\n" "$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)" > secrets/tyk.env',
    ],
    kubernetesTemplates: spec =>
      Object.fromEntries(
        buildTykApis(spec).map(api => [
          `${String(api.api_id)}.json`,
          JSON.stringify(api).replace(
            JWT_SOURCE_TEMPLATE,
            '{{ .jwtSecret | b64enc }}',
          ),
        ]),
      ),
  },
  runbookSteps: spec => [
    ...(TARGETS[spec.target].platform === 'compose'
      ? []
      : [
          `Label the namespace the Backstage portal runs in with \`${HEALTH_PROBE_NAMESPACE_LABEL}=true\` (\`kubectl label namespace <portal-namespace> ${HEALTH_PROBE_NAMESPACE_LABEL}=true\`): the NetworkPolicy \`tyk-control\` admits only those namespaces to Tyk's control port (${TYK_CONTROL_PORT}), where the health probe reads /hello. The cluster's CNI must enforce NetworkPolicy.`,
        ]),
    `The portal's Tyk probe reads /hello on the control port (\`https://${tykControlHost(
      spec,
    )}:${TYK_CONTROL_PORT}\`, annotation \`open-amt.io/gateway-url\`) and verifies TLS, but that port presents the certificate of \`${
      spec.gateway.publicHost
    }\`: give the portal a name for it that the certificate covers (a private DNS record of \`${
      spec.gateway.publicHost
    }\` for the portal only, with \`gateway.gatewayUrl\` set to \`https://${
      spec.gateway.publicHost
    }:${TYK_CONTROL_PORT}\`), or the probe reports the gateway down.`,
  ],
};
