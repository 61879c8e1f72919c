/**
 * Kubernetes manifests (generic, AKS, EKS): one Deployment + Service per Open AMT service, Secrets
 * wired by reference through the External Secrets Operator (see kubernetesSecrets.ts), the in-cluster
 * gateway when it is Kong/Tyk/ESPv2, and the load balancers a managed gateway cannot replace.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  GATEWAY_PROVIDERS,
  ReleaseComponent,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { EnvVar, serviceEnv, ServiceId, SERVICE_IDS, SERVICE_PORTS } from './env';
import { DATABASE_CA_DIR, databaseCaFile } from '../secrets/databaseTls';
import { endpointsServiceName } from './gateways/googleCloudEndpoints';
import { GATEWAY_IMAGES, IMAGE_USERS } from './images';
import { flavourFor, LoadBalancerKind } from './kubernetesFlavour';
import {
  DATABASE_CA_SECRET,
  databaseCaExternalSecret,
  GATEWAY_TLS_SECRET,
  gatewayTlsExternalSecret,
  TYK_CONTROL_SECRET,
  tykControlSecret,
  gatewayConfigExternalSecret,
  secretKeyFor,
  secretStore,
  serviceExternalSecret,
  serviceSecretName,
} from './kubernetesSecrets';
import { SECRET_STORE_RENDERERS } from './secrets';
import { GATEWAY_TLS_DIR } from './gatewayTls';
import { buildTykPolicies } from './gateways/tyk';
import { internalServiceHost, websocketHost } from './gateways/upstreams';
import { renderedReplicas } from './replicas';
import { RenderedFile } from './types';
import { toYamlDocuments } from './yaml';

export { flavourFor };

type K8sObject = { apiVersion: string; kind: string; metadata: Record<string, unknown>; [k: string]: unknown };

const labelsFor = (spec: DeploymentSpec, app: string) => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/part-of': 'open-amt',
  'app.kubernetes.io/instance': spec.name,
});

function envFor(serviceId: ServiceId, vars: EnvVar[]) {
  return vars.map(v => {
    if ('value' in v) return { name: v.name, value: v.value };
    if ('fieldPath' in v) return { name: v.name, valueFrom: { fieldRef: { fieldPath: v.fieldPath } } };
    return { name: v.name, valueFrom: { secretKeyRef: { name: serviceSecretName(serviceId), key: secretKeyFor(v.name) } } };
  });
}

const HEALTH_PATHS: Partial<Record<ServiceId, { path: string; port: number }>> = {
  mps: { path: '/api/v1/health', port: SERVICE_PORTS.mps.web },
  rps: { path: '/api/v1/admin/health', port: SERVICE_PORTS.rps.web },
  webui: { path: '/', port: SERVICE_PORTS.webui.web },
};

/** Nginx's master (the Web UI image sets no USER) starts as root and hands the workers to its own user. */
const ROOT_IMAGE_CAPABILITIES = ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'];

/**
 * Pod and container security from the user the image runs as (release data): a numeric non-root user is pinned
 * (runAsNonRoot cannot check a named USER); an image that must start as root gets only the capabilities it needs.
 */
function securityFor(user: ReleaseComponent['user'] | undefined) {
  const seccompProfile = { type: 'RuntimeDefault' };
  if (user && user.uid === 0) {
    return {
      pod: { seccompProfile },
      container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ROOT_IMAGE_CAPABILITIES } },
    };
  }
  return {
    pod: { runAsNonRoot: true, ...(user ? { runAsUser: user.uid, runAsGroup: user.uid } : {}), seccompProfile },
    container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

function deployment(
  spec: DeploymentSpec,
  app: string,
  replicas: number,
  container: Record<string, unknown>,
  extra: { volumes?: unknown[]; user?: ReleaseComponent['user'] } = {},
): K8sObject {
  const security = securityFor(extra.user);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: spec.namespace, labels: labelsFor(spec, app) },
    spec: {
      replicas,
      selector: { matchLabels: labelsFor(spec, app) },
      template: {
        metadata: { labels: { ...labelsFor(spec, app), ...SECRET_STORE_RENDERERS[spec.secrets.provider].podLabels?.(spec) } },
        spec: {
          serviceAccountName: 'open-amt',
          automountServiceAccountToken: false,
          securityContext: security.pod,
          containers: [
            {
              name: app,
              imagePullPolicy: 'IfNotPresent',
              securityContext: security.container,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              ...container,
            },
          ],
          ...(extra.volumes ? { volumes: extra.volumes } : {}),
          // The scheduler may otherwise put every replica on one node: spread them, so a node loss leaves one running.
          ...(replicas > 1
            ? {
                topologySpreadConstraints: [
                  { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labelsFor(spec, app) } },
                ],
              }
            : {}),
        },
      },
    },
  };
}

/** `ports`: name → port, or name → [port, targetPort]. */
function service(
  spec: DeploymentSpec,
  app: string,
  ports: Record<string, number | [number, number]>,
  lb?: LoadBalancerKind,
  name = app,
): K8sObject {
  // An internal load balancer carries the private name managed gateways use (ExternalDNS creates the record).
  const dns = lb === 'internal' ? { 'external-dns.alpha.kubernetes.io/hostname': internalServiceHost(spec, app) } : {};
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: spec.namespace,
      labels: labelsFor(spec, app),
      ...(lb ? { annotations: { ...flavourFor(spec).loadBalancerAnnotations(lb), ...dns } } : {}),
    },
    spec: {
      type: lb ? 'LoadBalancer' : 'ClusterIP',
      selector: labelsFor(spec, app),
      ports: Object.entries(ports).map(([portName, p]) => {
        const [port, targetPort] = Array.isArray(p) ? p : [p, p];
        return { name: portName, port, targetPort, protocol: 'TCP' };
      }),
    },
  };
}

function pdb(spec: DeploymentSpec, app: string): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: spec.namespace },
    spec: { minAvailable: 1, selector: { matchLabels: labelsFor(spec, app) } },
  };
}


/**
 * The release's user for its image. A custom image (custom provider) is built FROM the release's image, whose user
 * it keeps: the runbook says so, and that the image must not switch to a named user of its own.
 */
function imageUser(spec: DeploymentSpec, id: ServiceId): ReleaseComponent['user'] {
  return releaseOf(spec).components[id].user;
}

function openAmtService(spec: DeploymentSpec, id: ServiceId): K8sObject[] {
  const ports = SERVICE_PORTS[id] as Record<string, number>;
  const health = HEALTH_PATHS[id];
  const probe = health ? { httpGet: { path: health.path, port: health.port }, periodSeconds: 10, timeoutSeconds: 5 } : { tcpSocket: { port: SERVICE_PORTS.mpsrouter.web }, periodSeconds: 10 };
  const replicas = renderedReplicas(spec, id).count;
  const managedGateway = !GATEWAY_PROVIDERS[spec.gateway.provider].runsBesideServices;
  // The database's CA (sslrootcert, RPS_POSTGRES_SSL_CA) for the three services that connect: the `database-ca` Secret.
  const caMount = id !== 'webui' && databaseCaFile(spec);
  const objects: K8sObject[] = [
    deployment(spec, id, replicas, {
      image: spec.images[id],
      env: envFor(id, serviceEnv(spec, id)),
      ports: Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort })),
      // The health endpoints answer 503 while the database or Vault is down: readiness only. Liveness asks whether
      // the process still accepts connections, so a Vault seal does not restart every pod.
      readinessProbe: probe,
      livenessProbe: { tcpSocket: { port: health?.port ?? SERVICE_PORTS.mpsrouter.web }, periodSeconds: 10, initialDelaySeconds: 30 },
      ...(caMount ? { volumeMounts: [{ name: DATABASE_CA_SECRET, mountPath: DATABASE_CA_DIR, readOnly: true }] } : {}),
    }, {
      user: imageUser(spec, id),
      ...(caMount ? { volumes: [{ name: DATABASE_CA_SECRET, secret: { secretName: DATABASE_CA_SECRET, items: [{ key: 'ca.pem', path: 'ca.pem' }] } }] } : {}),
    }),
    // Managed gateways sit outside the cluster: they reach the services through internal load balancers.
    service(spec, id, ports, managedGateway ? 'internal' : undefined),
  ];
  if (replicas > 1) objects.push(pdb(spec, id));
  return objects;
}

/** Where Tyk reads its policies file, and the control API's own port (no Service exposes it). */
export const TYK_POLICY_DIR = '/opt/tyk-gateway/policies';
export const TYK_CONTROL_PORT = 9696;

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
    metadata: { name: 'kong-admin', namespace: spec.namespace, labels: labelsFor(spec, 'kong') },
    spec: {
      podSelector: { matchLabels: labelsFor(spec, 'kong') },
      policyTypes: ['Ingress'],
      ingress: [
        { ports: [{ protocol: 'TCP', port: 8443 }, { protocol: 'TCP', port: CIRA_PORT }] },
        { from: [{ namespaceSelector: { matchLabels: { [HEALTH_PROBE_NAMESPACE_LABEL]: 'true' } } }], ports: [{ protocol: 'TCP', port: 8001 }] },
      ],
    },
  };
}

function gatewayObjects(spec: DeploymentSpec): K8sObject[] {
  switch (spec.gateway.provider) {
    case 'kong':
      return [
        deployment(spec, 'kong', 2, {
          image: releaseOf(spec).infrastructure.kong,
          env: [
            { name: 'KONG_DATABASE', value: 'off' },
            { name: 'KONG_DECLARATIVE_CONFIG', value: '/kong/kong.yaml' },
            { name: 'KONG_PROXY_LISTEN', value: '0.0.0.0:8443 ssl' },
            { name: 'KONG_STREAM_LISTEN', value: `0.0.0.0:${CIRA_PORT}` },
            { name: 'KONG_ADMIN_LISTEN', value: '0.0.0.0:8001' },
            // mps-router picks the MPS instance per TCP connection: pooled upstream connections would misroute devices.
            { name: 'KONG_UPSTREAM_KEEPALIVE_POOL_SIZE', value: '0' },
            // The public host's certificate (ExternalSecret gateway-tls): without it Kong serves a self-signed one.
            { name: 'KONG_SSL_CERT', value: `${GATEWAY_TLS_DIR}/tls.crt` },
            { name: 'KONG_SSL_CERT_KEY', value: `${GATEWAY_TLS_DIR}/tls.key` },
          ],
          ports: [{ name: 'https', containerPort: 8443 }, { name: 'cira', containerPort: CIRA_PORT }, { name: 'admin', containerPort: 8001 }],
          volumeMounts: [
            { name: 'config', mountPath: '/kong', readOnly: true },
            { name: GATEWAY_TLS_SECRET, mountPath: GATEWAY_TLS_DIR, readOnly: true },
          ],
          readinessProbe: { tcpSocket: { port: 8443 }, periodSeconds: 10 },
        }, {
          volumes: [
            { name: 'config', secret: { secretName: 'kong-config' } },
            { name: GATEWAY_TLS_SECRET, secret: { secretName: GATEWAY_TLS_SECRET } },
          ],
          user: IMAGE_USERS.kong,
        }),
        service(spec, 'kong', { https: [443, 8443], cira: CIRA_PORT }, 'public-tcp'),
        service(spec, 'kong', { admin: 8001 }, undefined, 'kong-admin'),
        kongAdminPolicy(spec),
      ];
    case 'tyk':
      return [
        deployment(spec, 'redis', 1, { image: GATEWAY_IMAGES.redis, ports: [{ name: 'redis', containerPort: 6379 }] }, { user: IMAGE_USERS.redis }),
        service(spec, 'redis', { redis: 6379 }),
        deployment(spec, 'tyk', 2, {
          image: GATEWAY_IMAGES.tyk,
          env: [
            { name: 'TYK_GW_LISTENPORT', value: '8443' },
            // HTTPS with the public host's certificate (the readiness probe and the Service speak HTTPS).
            { name: 'TYK_GW_HTTPSERVEROPTIONS_USESSL', value: 'true' },
            // The image's tyk.conf leaves WebSocket proxying off (relay, activation); strict routes stated, not inherited.
            { name: 'TYK_GW_HTTPSERVEROPTIONS_ENABLEWEBSOCKETS', value: 'true' },
            { name: 'TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES', value: 'true' },
            { name: 'TYK_GW_HTTPSERVEROPTIONS_SSLCERTIFICATES', value: `${GATEWAY_TLS_DIR}/tls.pem` },
            { name: 'TYK_GW_STORAGE_HOST', value: 'redis' },
            { name: 'TYK_GW_STORAGE_PORT', value: '6379' },
            { name: 'TYK_GW_APPPATH', value: '/opt/tyk-gateway/apps' },
            // The JWT APIs' default policy comes from this file: without it every JWT request is refused.
            { name: 'TYK_GW_POLICIES_POLICYSOURCE', value: 'file' },
            { name: 'TYK_GW_POLICIES_POLICYPATH', value: TYK_POLICY_DIR },
            // The control API on its own port, which no Service exposes, with a generated secret.
            { name: 'TYK_GW_CONTROLAPIPORT', value: String(TYK_CONTROL_PORT) },
            { name: 'TYK_GW_SECRET', valueFrom: { secretKeyRef: { name: TYK_CONTROL_SECRET, key: 'password' } } },
            { name: 'TYK_GW_ENABLEJSVM', value: 'false' },
          ],
          ports: [{ name: 'https', containerPort: 8443 }, { name: 'cira', containerPort: CIRA_PORT }],
          volumeMounts: [
            { name: 'apps', mountPath: '/opt/tyk-gateway/apps', readOnly: true },
            { name: 'policies', mountPath: TYK_POLICY_DIR, readOnly: true },
            { name: GATEWAY_TLS_SECRET, mountPath: GATEWAY_TLS_DIR, readOnly: true },
          ],
          readinessProbe: { httpGet: { path: '/hello', port: 8443, scheme: 'HTTPS' }, periodSeconds: 10 },
        }, {
          volumes: [
            { name: 'apps', secret: { secretName: 'tyk-config' } },
            { name: 'policies', configMap: { name: 'tyk-policies' } },
            { name: GATEWAY_TLS_SECRET, secret: { secretName: GATEWAY_TLS_SECRET } },
          ],
          user: IMAGE_USERS.tyk,
        }),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tyk-policies', namespace: spec.namespace }, data: { 'policies.json': JSON.stringify(buildTykPolicies(spec), null, 2) } },
        service(spec, 'tyk', { https: [443, 8443], cira: CIRA_PORT }, 'public-tcp'),
      ];
    case 'google-cloud-endpoints':
      return [
        deployment(spec, 'espv2', 2, {
          image: GATEWAY_IMAGES.espv2,
          args: [`--service=${endpointsServiceName(spec)}`, '--rollout_strategy=managed', '--listener_port=8443', '--healthz=healthz'],
          ports: [{ name: 'https', containerPort: 8443 }],
          readinessProbe: { httpGet: { path: '/healthz', port: 8443 }, periodSeconds: 10 },
        }, { user: IMAGE_USERS.espv2 }),
        service(spec, 'espv2', { https: [443, 8443] }, 'public-http'),
      ];
    default:
      return [];
  }
}

/** What the gateway cannot carry: a passthrough LB for CIRA, an ingress (ALB on EKS) for websockets. */
function extraLoadBalancers(spec: DeploymentSpec): K8sObject[] {
  const info = GATEWAY_PROVIDERS[spec.gateway.provider];
  const objects: K8sObject[] = [];
  if (!info.carriesCiraTcp) objects.push(service(spec, 'mps', { cira: CIRA_PORT }, 'public-tcp', 'mps-cira'));
  if (!info.carriesWebsockets) {
    const flavour = flavourFor(spec);
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'open-amt-websockets', namespace: spec.namespace, annotations: flavour.ingressAnnotations },
      spec: {
        ingressClassName: flavour.ingressClassName,
        tls: [{ hosts: [websocketHost(spec)], secretName: 'open-amt-tls' }],
        rules: [
          {
            host: websocketHost(spec),
            http: {
              paths: releaseOf(spec).gatewayRoutes.filter(r => r.websocket && r.upstream.path === undefined).map(r => ({
                path: r.path,
                pathType: 'Prefix',
                backend: { service: { name: r.upstream.service, port: { number: r.upstream.port } } },
              })),
            },
          },
        ],
      },
    });
  }
  return objects;
}

function serviceAccounts(spec: DeploymentSpec): K8sObject[] {
  return (['open-amt', 'external-secrets'] as const).map(name => {
    const annotations = SECRET_STORE_RENDERERS[spec.secrets.provider].serviceAccountAnnotations?.(spec, name) ?? {};
    return {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: spec.namespace, ...(Object.keys(annotations).length ? { annotations } : {}) },
    };
  });
}

export function buildKubernetesManifests(spec: DeploymentSpec): Record<string, K8sObject[]> {
  const gatewaySecret = gatewayConfigExternalSecret(spec);
  const files: Record<string, K8sObject[]> = {
    'namespace.yaml': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace, labels: { 'app.kubernetes.io/part-of': 'open-amt' } } }],
    'serviceaccounts.yaml': serviceAccounts(spec),
    'external-secrets.yaml': [
      secretStore(spec),
      ...(['mps', 'rps', 'mpsrouter'] as const).map(s => serviceExternalSecret(spec, s)),
      ...(gatewaySecret ? [gatewaySecret] : []),
      ...[databaseCaExternalSecret(spec), gatewayTlsExternalSecret(spec)].filter(<T>(x: T | undefined): x is T => x !== undefined),
      ...tykControlSecret(spec),
    ],
  };
  for (const id of SERVICE_IDS) files[`${id}.yaml`] = openAmtService(spec, id);
  const gw = gatewayObjects(spec);
  if (gw.length) files['gateway.yaml'] = gw;
  const lbs = extraLoadBalancers(spec);
  if (lbs.length) files['load-balancers.yaml'] = lbs;
  const store = (SECRET_STORE_RENDERERS[spec.secrets.provider].kubernetesObjects?.(spec) ?? []) as K8sObject[];
  if (store.length) files['secrets-store.yaml'] = store;
  return files;
}

export function renderKubernetes(spec: DeploymentSpec): RenderedFile[] {
  const manifests = buildKubernetesManifests(spec);
  const names = Object.keys(manifests);
  return [
    ...names.map(name => ({ path: `kubernetes/${name}`, content: toYamlDocuments(manifests[name]) })),
    {
      path: 'kubernetes/kustomization.yaml',
      content: toYamlDocuments([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: spec.namespace, resources: names }]),
    },
  ];
}
