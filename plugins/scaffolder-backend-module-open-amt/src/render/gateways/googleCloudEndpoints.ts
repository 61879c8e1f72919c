/**
 * Google Cloud Endpoints (ESPv2): swagger 2.0 with x-google-backend per route. ESPv2 neither strips
 * prefixes nor verifies HS256 (only JWKS-published keys), and has no TCP proxy: the runbook lists those
 * steps, and CIRA 4433 goes through a passthrough Network Load Balancer (gcloud script on a VM target,
 * a LoadBalancer Service on Kubernetes).
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
import { GATEWAY_IMAGES, IMAGE_USERS } from '../images';
import { deployment, service } from '../kubernetesWorkloads';
import { RenderedFile } from '../types';
import type { GatewayRenderer } from './types';
import { toYaml } from '../yaml';
import { gatewayUpstreamHost, upstreamUrl } from './upstreams';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * ESPv2 speaks TLS on its listener port only with --ssl_server_cert_path, reading server.crt and server.key there
 * (esp-v2 v2.51.0 start_proxy.py:185-194, transport_socket.go:28); without it the port is plain HTTP.
 */
const ESP_PORT = 8443;
function espArgs(spec: DeploymentSpec): string[] {
  return [
    `--service=${endpointsServiceName(spec)}`,
    '--rollout_strategy=managed',
    `--listener_port=${ESP_PORT}`,
    `--ssl_server_cert_path=${GATEWAY_TLS_DIR}`,
    '--healthz=healthz',
  ];
}

function projectIdOf(spec: DeploymentSpec): string {
  if (!isProviderSection(spec.gateway, 'google-cloud-endpoints'))
    throw new Error('not a Cloud Endpoints spec');
  return spec.gateway.projectId;
}

export function endpointsServiceName(spec: DeploymentSpec): string {
  return `${spec.name}.endpoints.${projectIdOf(spec)}.cloud.goog`;
}

export function buildEndpointsSwagger(spec: DeploymentSpec) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of releaseOf(spec).gatewayRoutes) {
    const exact = route.upstream.path !== undefined;
    // ESPv2 cannot rewrite a prefix: a rewritten route is the exact path clients open (the relay's one file).
    const file = route.clientPath ?? '';
    const address = `${upstreamUrl(
      gatewayUpstreamHost(spec, route.upstream.service),
      route,
    )}${file}`;
    // `{path=**}` takes what is below the prefix, never the prefix itself (ESPv2's route regex `^/activate/.*\/?$`):
    // a prefix route is the prefix and the prefix with anything below it.
    const prefix = route.path === '/' ? '' : route.path;
    const templates: Array<[string, boolean]> = exact
      ? [[`${route.path}${file}`, false]]
      : [
          ...(prefix ? ([[prefix, false]] as Array<[string, boolean]>) : []),
          [`${prefix}/{path=**}`, true],
        ];
    for (const [path, variable] of templates) {
      const backend = {
        address,
        path_translation: exact ? 'CONSTANT_ADDRESS' : 'APPEND_PATH_TO_ADDRESS',
      };
      const item: Record<string, unknown> = {};
      let methods: readonly string[] = METHODS;
      if (route.websocket) methods = ['get'];
      else if (route.name === 'mps-login') methods = ['post'];
      for (const m of methods) {
        item[m] = {
          operationId: `${m}${route.name.replace(/-/g, '_')}${
            variable || exact ? '' : '_prefix'
          }`,
          ...(variable
            ? {
                parameters: [
                  { name: 'path', in: 'path', required: true, type: 'string' },
                ],
              }
            : {}),
          ...(route.jwt ? { security: [{ open_amt_jwt: [] }] } : {}),
          'x-google-backend': {
            ...backend,
            ...(route.websocket ? { protocol: 'http/1.1' } : {}),
          },
          responses: { default: { description: 'Proxied response' } },
        };
      }
      paths[path] = item;
    }
  }
  return {
    swagger: '2.0',
    info: { title: `${spec.name} Open AMT`, version: '1.0.0' },
    host: endpointsServiceName(spec),
    schemes: ['https'],
    'x-google-allow': 'all',
    paths,
    securityDefinitions: {
      open_amt_jwt: {
        type: 'oauth2',
        flow: 'implicit',
        authorizationUrl: '',
        'x-google-issuer': spec.jwtIssuer,
        // MPS signs HS256 with a shared key; ESPv2 needs a JWKS. See the runbook ("steps left").
        'x-google-jwks_uri': `https://${spec.gateway.publicHost}/.well-known/jwks.json`,
        'x-google-audiences': spec.jwtIssuer,
      },
    },
  };
}

function passthroughNlbScript(spec: DeploymentSpec): string {
  return [
    '#!/usr/bin/env bash',
    `# Cloud Endpoints has no TCP proxy: a passthrough Network Load Balancer carries CIRA (TCP ${CIRA_PORT}) to MPS.`,
    'set -euo pipefail',
    `PROJECT=${projectIdOf(spec)}`,
    'REGION=${REGION:?set REGION}',
    'INSTANCE_GROUP=${INSTANCE_GROUP:?set INSTANCE_GROUP (the VM running compose)}',
    `gcloud compute health-checks create tcp ${spec.name}-cira --project "$PROJECT" --region "$REGION" --port ${CIRA_PORT}`,
    `gcloud compute backend-services create ${spec.name}-cira --project "$PROJECT" --region "$REGION" --load-balancing-scheme EXTERNAL --protocol TCP --health-checks ${spec.name}-cira --health-checks-region "$REGION"`,
    `gcloud compute backend-services add-backend ${spec.name}-cira --project "$PROJECT" --region "$REGION" --instance-group "$INSTANCE_GROUP" --instance-group-region "$REGION"`,
    `gcloud compute forwarding-rules create ${spec.name}-cira --project "$PROJECT" --region "$REGION" --load-balancing-scheme EXTERNAL --ip-protocol TCP --ports ${CIRA_PORT} --backend-service ${spec.name}-cira`,
    '',
  ].join('\n');
}

export function renderGoogleCloudEndpoints(
  spec: DeploymentSpec,
): RenderedFile[] {
  const files: RenderedFile[] = [
    {
      path: 'gateway/google-cloud-endpoints/openapi.yaml',
      content: toYaml(buildEndpointsSwagger(spec)),
    },
  ];
  if (TARGETS[spec.target].platform === 'compose') {
    files.push({
      path: 'gateway/google-cloud-endpoints/passthrough-nlb.sh',
      content: passthroughNlbScript(spec),
    });
  }
  return files;
}

export const googleCloudEndpointsRenderer: GatewayRenderer = {
  info: GATEWAY_PROVIDERS['google-cloud-endpoints'],
  files: renderGoogleCloudEndpoints,
  probeUrl: spec => `https://${spec.gateway.publicHost}/healthz`,
  composeServices: spec => ({
    espv2: {
      image: GATEWAY_IMAGES.espv2,
      restart: 'always',
      command: espArgs(spec),
      // The public host's certificate from the store, under the names ESPv2 reads.
      volumes: [
        `./secrets/gateway-tls/tls.crt:${GATEWAY_TLS_DIR}/server.crt:ro`,
        `./secrets/gateway-tls/tls.key:${GATEWAY_TLS_DIR}/server.key:ro`,
      ],
      ports: [`443:${ESP_PORT}`],
      // ESPv2 reaches the services by their compose names, on the project network.
      depends_on: ['mps', 'rps', 'mpsrouter', 'webui'],
      networks: ['openamtnetwork'],
    },
  }),
  kubernetesObjects: spec => [
    deployment(
      spec,
      'espv2',
      2,
      {
        image: GATEWAY_IMAGES.espv2,
        args: espArgs(spec),
        ports: [{ name: 'https', containerPort: ESP_PORT }],
        volumeMounts: [
          {
            name: GATEWAY_TLS_SECRET,
            mountPath: GATEWAY_TLS_DIR,
            readOnly: true,
          },
        ],
        readinessProbe: {
          httpGet: { path: '/healthz', port: ESP_PORT, scheme: 'HTTPS' },
          periodSeconds: 10,
        },
      },
      {
        volumes: [
          {
            name: GATEWAY_TLS_SECRET,
            secret: {
              secretName: GATEWAY_TLS_SECRET,
              items: [
                { key: 'tls.crt', path: 'server.crt' },
                { key: 'tls.key', path: 'server.key' },
              ],
            },
          },
        ],
        user: IMAGE_USERS.espv2,
      },
    ),
    service(spec, 'espv2', { https: [443, ESP_PORT] }, 'public-http'),
  ],
  // ESPv2 with --rollout_strategy=managed reads the service's latest rollout when it starts and exits without one
  // (esp-v2 v2.51.0 src/go/configmanager/config_manager.go:174-183): the API config is deployed first.
  beforeStartSteps: spec => [
    {
      text: `Deploy the API config before ESPv2 starts (it reads the service's rollout at start-up and exits without one): \`gcloud endpoints services deploy gateway/google-cloud-endpoints/openapi.yaml\` creates the service \`${endpointsServiceName(
        spec,
      )}\`.`,
      commands: [
        `gcloud endpoints services deploy gateway/google-cloud-endpoints/openapi.yaml --project ${projectIdOf(
          spec,
        )}`,
      ],
    },
  ],
};
