/**
 * Kubernetes manifests (generic, AKS, EKS): one Deployment + Service per Open AMT service, Secrets
 * wired by reference through the External Secrets Operator (see kubernetesSecrets.ts), the in-cluster
 * gateway when it is Kong/Tyk/ESPv2, and the load balancers a managed gateway cannot replace.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  ReleaseComponent,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf, secretStoreRendererOf } from './providers';
import {
  EnvVar,
  serviceEnv,
  ServiceId,
  SERVICE_IDS,
  SERVICE_PORTS,
} from './env';
import { DATABASE_CA_DIR, databaseCaFile } from '../secrets/databaseTls';
import {
  flavourFor,
  ServiceAccountName,
  STORE_IDENTITY_ACCOUNT,
  WORKLOAD_ACCOUNT,
} from './kubernetesFlavour';
import {
  DATABASE_CA_SECRET,
  databaseCaExternalSecret,
  gatewayTlsExternalSecret,
  gatewayConfigExternalSecret,
  secretKeyFor,
  secretStore,
  serviceExternalSecret,
  serviceSecretName,
} from './kubernetesSecrets';
import { websocketHost } from './gateways/upstreams';
import { WEBSOCKET_TLS_SECRET } from './gatewayTls';
import { renderedReplicas } from './replicas';
import { RenderedFile } from './types';
import { toYamlDocuments } from './yaml';
import { deployment, K8sObject, pdb, service } from './kubernetesWorkloads';
import { webUiConfigMap, webUiMount } from './webuiKubernetes';

function envFor(serviceId: ServiceId, vars: EnvVar[]) {
  return vars.map(v => {
    if ('value' in v) return { name: v.name, value: v.value };
    if ('fieldPath' in v)
      return {
        name: v.name,
        valueFrom: { fieldRef: { fieldPath: v.fieldPath } },
      };
    return {
      name: v.name,
      valueFrom: {
        secretKeyRef: {
          name: serviceSecretName(serviceId),
          key: secretKeyFor(v.name),
        },
      },
    };
  });
}

const HEALTH_PATHS: Partial<Record<ServiceId, { path: string; port: number }>> =
  {
    mps: { path: '/api/v1/health', port: SERVICE_PORTS.mps.web },
    rps: { path: '/api/v1/admin/health', port: SERVICE_PORTS.rps.web },
    webui: { path: '/', port: SERVICE_PORTS.webui.web },
  };

/**
 * The release's user for its image. A custom image (custom provider) is built FROM the release's image, whose user
 * it keeps: the runbook says so, and that the image must not switch to a named user of its own.
 */
function imageUser(
  spec: DeploymentSpec,
  id: ServiceId,
): ReleaseComponent['user'] {
  return releaseOf(spec).components[id].user;
}

/**
 * A service that writes store entries on its first start (release data: MPS's certificates) starts one pod at a time,
 * so the first pod writes them and every later pod reads them; always, so the kind never changes with the count.
 */
function createsOnFirstStart(spec: DeploymentSpec, id: ServiceId): boolean {
  return Boolean(releaseOf(spec).components[id].createsOnFirstStart?.length);
}

/**
 * Only a service that talks to the store itself (it is given a secrets provider) with the platform's identity (the
 * store annotates service accounts: workload identity, IRSA) runs as the identity that may write the store; with a
 * token-based store (Vault) no pod needs one.
 */
function usesStoreIdentity(spec: DeploymentSpec, vars: EnvVar[]): boolean {
  const readsStore = vars.some(v => v.name.endsWith('_SECRETS_PROVIDER'));
  return (
    readsStore && Boolean(secretStoreRendererOf(spec).serviceAccountAnnotations)
  );
}

function openAmtService(spec: DeploymentSpec, id: ServiceId): K8sObject[] {
  const ports = SERVICE_PORTS[id] as Record<string, number>;
  const health = HEALTH_PATHS[id];
  const probe = health
    ? {
        httpGet: { path: health.path, port: health.port },
        periodSeconds: 10,
        timeoutSeconds: 5,
      }
    : { tcpSocket: { port: SERVICE_PORTS.mpsrouter.web }, periodSeconds: 10 };
  const replicas = renderedReplicas(spec, id).count;
  const vars = serviceEnv(spec, id);
  const managedGateway = !gatewayRendererOf(spec).info.runsBesideServices;
  // The database's CA (sslrootcert, RPS_POSTGRES_SSL_CA) for the three services that connect: the `database-ca` Secret.
  const caMount = id !== 'webui' && databaseCaFile(spec);
  const objects: K8sObject[] = [
    deployment(
      spec,
      id,
      replicas,
      {
        image: spec.images[id],
        env: envFor(id, vars),
        ports: Object.entries(ports).map(([name, containerPort]) => ({
          name,
          containerPort,
        })),
        // The health endpoints answer 503 while the database or Vault is down: readiness only. Liveness asks whether
        // the process still accepts connections, so a Vault seal does not restart every pod.
        readinessProbe: probe,
        livenessProbe: {
          tcpSocket: { port: health?.port ?? SERVICE_PORTS.mpsrouter.web },
          periodSeconds: 10,
          initialDelaySeconds: 30,
        },
        ...(caMount
          ? {
              volumeMounts: [
                {
                  name: DATABASE_CA_SECRET,
                  mountPath: DATABASE_CA_DIR,
                  readOnly: true,
                },
              ],
            }
          : {}),
        ...(id === 'webui' ? { volumeMounts: [webUiMount.volumeMount] } : {}),
      },
      {
        user: imageUser(spec, id),
        ordered: createsOnFirstStart(spec, id),
        storeIdentity: usesStoreIdentity(spec, vars),
        ...(caMount
          ? {
              volumes: [
                {
                  name: DATABASE_CA_SECRET,
                  secret: {
                    secretName: DATABASE_CA_SECRET,
                    items: [{ key: 'ca.pem', path: 'ca.pem' }],
                  },
                },
              ],
            }
          : {}),
        ...(id === 'webui' ? { volumes: [webUiMount.volume] } : {}),
      },
    ),
    // Managed gateways sit outside the cluster: they reach the services through internal load balancers.
    service(spec, id, ports, managedGateway ? 'internal' : undefined),
    ...(id === 'webui' ? [webUiConfigMap(spec)] : []),
  ];
  if (replicas > 1) objects.push(pdb(spec, id));
  return objects;
}

/** What the gateway cannot carry: a passthrough LB for CIRA, an ingress (ALB on EKS) for websockets. */
function extraLoadBalancers(spec: DeploymentSpec): K8sObject[] {
  const info = gatewayRendererOf(spec).info;
  const objects: K8sObject[] = [];
  if (!info.carriesCiraTcp)
    objects.push(
      service(spec, 'mps', { cira: CIRA_PORT }, 'public-tcp', 'mps-cira'),
    );
  if (!info.carriesWebsockets) {
    const flavour = flavourFor(spec);
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'open-amt-websockets',
        namespace: spec.namespace,
        annotations: flavour.ingressAnnotations,
      },
      spec: {
        ingressClassName: flavour.ingressClassName,
        tls: [
          { hosts: [websocketHost(spec)], secretName: WEBSOCKET_TLS_SECRET },
        ],
        rules: [
          {
            host: websocketHost(spec),
            http: {
              paths: releaseOf(spec)
                .gatewayRoutes.filter(
                  r => r.websocket && r.upstream.path === undefined,
                )
                .map(r => ({
                  path: r.path,
                  pathType: 'Prefix',
                  backend: {
                    service: {
                      name: r.upstream.service,
                      port: { number: r.upstream.port },
                    },
                  },
                })),
            },
          },
        ],
      },
    });
  }
  return objects;
}

/**
 * `external-secrets` (reads the entries), `open-amt` (MPS/RPS writing their runtime secrets with the platform's
 * identity; only when the store uses one) and `open-amt-workload` for everything else: no identity, no token.
 */
function serviceAccounts(spec: DeploymentSpec): K8sObject[] {
  const store = secretStoreRendererOf(spec);
  const identities: ServiceAccountName[] = store.serviceAccountAnnotations
    ? [STORE_IDENTITY_ACCOUNT, 'external-secrets']
    : ['external-secrets'];
  const account = (name: string, annotations: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace: spec.namespace,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
  });
  return [
    ...identities.map(name =>
      account(name, store.serviceAccountAnnotations?.(spec, name) ?? {}),
    ),
    { ...account(WORKLOAD_ACCOUNT, {}), automountServiceAccountToken: false },
  ];
}

export function buildKubernetesManifests(
  spec: DeploymentSpec,
): Record<string, K8sObject[]> {
  const gatewaySecret = gatewayConfigExternalSecret(spec);
  const files: Record<string, K8sObject[]> = {
    'namespace.yaml': [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: spec.namespace,
          labels: { 'app.kubernetes.io/part-of': 'open-amt' },
        },
      },
    ],
    'serviceaccounts.yaml': serviceAccounts(spec),
    'external-secrets.yaml': [
      secretStore(spec),
      ...(['mps', 'rps', 'mpsrouter'] as const).map(s =>
        serviceExternalSecret(spec, s),
      ),
      ...(gatewaySecret ? [gatewaySecret] : []),
      ...[
        databaseCaExternalSecret(spec),
        gatewayTlsExternalSecret(spec),
      ].filter(<T>(x: T | undefined): x is T => x !== undefined),
      ...(gatewayRendererOf(spec).kubernetesSecrets?.(spec) ?? []),
    ],
  };
  for (const id of SERVICE_IDS) files[`${id}.yaml`] = openAmtService(spec, id);
  const gw = gatewayRendererOf(spec).kubernetesObjects?.(spec) ?? [];
  if (gw.length) files['gateway.yaml'] = gw;
  const lbs = extraLoadBalancers(spec);
  if (lbs.length) files['load-balancers.yaml'] = lbs;
  const store = (secretStoreRendererOf(spec).kubernetesObjects?.(spec) ??
    []) as K8sObject[];
  if (store.length) files['secrets-store.yaml'] = store;
  return files;
}

export function renderKubernetes(spec: DeploymentSpec): RenderedFile[] {
  const manifests = buildKubernetesManifests(spec);
  const names = Object.keys(manifests);
  return [
    ...names.map(name => ({
      path: `kubernetes/${name}`,
      content: toYamlDocuments(manifests[name]),
    })),
    {
      path: 'kubernetes/kustomization.yaml',
      content: toYamlDocuments([
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          namespace: spec.namespace,
          resources: names,
        },
      ]),
    },
  ];
}
