/**
 * Tyk classic API definitions (one per route) + a policy file. JWT routes use HMAC with the identity in
 * `iss` (MPS puts the issuer there); `jwt_source` is a template marker filled at deploy time (it is the
 * shared secret, base64). CIRA goes through a Tyk TCP API on 4433 (tyk.conf must allow the port).
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  isProviderSection,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { ESO_API } from '../externalSecretsApi';
import { GATEWAY_TLS_DIR, GATEWAY_TLS_SECRET } from '../gatewayTls';
import { GATEWAY_IMAGES, IMAGE_USERS } from '../images';
import { deployment, K8sObject, service } from '../kubernetesWorkloads';
import { RenderedFile } from '../types';
import { gatewayConfigSecretName } from './names';
import type { GatewayRenderer } from './types';
import { inClusterHost, upstreamUrl } from './upstreams';

export const TYK_POLICY_ID = 'open-amt-jwt';
const JWT_SOURCE_TEMPLATE = '{{ .jwtSecretBase64 }}';

function baseApi(spec: DeploymentSpec, id: string) {
  return {
    name: `${spec.name} ${id}`,
    api_id: `${spec.name}-${id}`,
    org_id: 'open-amt',
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

export function buildTykPolicies(spec: DeploymentSpec) {
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
    [TYK_POLICY_ID]: {
      id: TYK_POLICY_ID,
      name: 'Open AMT JWT',
      active: true,
      rate: 1000,
      per: 1,
      quota_max: -1,
      access_rights,
    },
  };
}

export function renderTyk(spec: DeploymentSpec): RenderedFile[] {
  return [
    ...buildTykApis(spec).map(api => ({
      path: `gateway/tyk/apps/${String(api.api_id)}.json`,
      content: `${JSON.stringify(api, null, 2)}\n`,
    })),
    {
      path: 'gateway/tyk/policies/policies.json',
      content: `${JSON.stringify(buildTykPolicies(spec), null, 2)}\n`,
    },
  ];
}

/** Where Tyk reads its policies file, and the control API's own port (no Service exposes it). */
export const TYK_POLICY_DIR = '/opt/tyk-gateway/policies';
export const TYK_CONTROL_PORT = 9696;

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
    return g?.gatewayUrl ?? `https://${spec.gateway.publicHost}/hello`;
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
      volumes: [
        './secrets/tyk-apps:/opt/tyk-gateway/apps:ro',
        './gateway/tyk/policies:/opt/tyk-gateway/policies:ro',
        `./secrets/gateway-tls:${GATEWAY_TLS_DIR}:ro`,
      ],
      ports: ['443:8443', `${CIRA_PORT}:${CIRA_PORT}`],
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
          { name: 'TYK_GW_LISTENPORT', value: '8443' },
          // HTTPS with the public host's certificate (the readiness probe and the Service speak HTTPS).
          { name: 'TYK_GW_HTTPSERVEROPTIONS_USESSL', value: 'true' },
          // The image's tyk.conf leaves WebSocket proxying off (relay, activation); strict routes stated, not inherited.
          { name: 'TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS', value: 'true' },
          {
            name: 'TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES',
            value: 'true',
          },
          {
            name: 'TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES',
            value: `${GATEWAY_TLS_DIR}/tls.pem`,
          },
          { name: 'TYK_GW_STORAGE_HOST', value: 'redis' },
          { name: 'TYK_GW_STORAGE_PORT', value: '6379' },
          { name: 'TYK_GW_APPPATH', value: '/opt/tyk-gateway/apps' },
          // The JWT APIs' default policy comes from this file: without it every JWT request is refused.
          { name: 'TYK_GW_POLICIES_POLICYSOURCE', value: 'file' },
          { name: 'TYK_GW_POLICIES_POLICYPATH', value: TYK_POLICY_DIR },
          // The control API on its own port, which no Service exposes, with a generated secret.
          { name: 'TYK_GW_CONTROLAPIPORT', value: String(TYK_CONTROL_PORT) },
          {
            name: 'TYK_GW_SECRET',
            valueFrom: {
              secretKeyRef: { name: TYK_CONTROL_SECRET, key: 'password' },
            },
          },
          { name: 'TYK_GW_ENABLEJSVM', value: 'false' },
        ],
        ports: [
          { name: 'https', containerPort: 8443 },
          { name: 'cira', containerPort: CIRA_PORT },
        ],
        volumeMounts: [
          { name: 'apps', mountPath: '/opt/tyk-gateway/apps', readOnly: true },
          { name: 'policies', mountPath: TYK_POLICY_DIR, readOnly: true },
          {
            name: GATEWAY_TLS_SECRET,
            mountPath: GATEWAY_TLS_DIR,
            readOnly: true,
          },
        ],
        readinessProbe: {
          httpGet: { path: '/hello', port: 8443, scheme: 'HTTPS' },
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
        'policies.json': JSON.stringify(buildTykPolicies(spec), null, 2),
      },
    },
    service(spec, 'tyk', { https: [443, 8443], cira: CIRA_PORT }, 'public-tcp'),
  ],
  kubernetesSecrets: tykControlSecret,
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
};
