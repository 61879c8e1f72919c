/**
 * Kubernetes objects: built-in kinds through kubernetes-models' .validate() (the OpenAPI schemas of the
 * API server); External Secrets CRDs through ajv with the required fields of the ESO v1 CRDs
 * (kubernetes-models has no ESO models for this major); Kustomization resources must exist.
 */
import Ajv from 'ajv';

/* eslint-disable @typescript-eslint/no-require-imports */
const MODELS: Record<string, any> = {
  'v1/Namespace': require('kubernetes-models/v1/Namespace').Namespace,
  'v1/Service': require('kubernetes-models/v1/Service').Service,
  'v1/ServiceAccount': require('kubernetes-models/v1/ServiceAccount')
    .ServiceAccount,
  'v1/ConfigMap': require('kubernetes-models/v1/ConfigMap').ConfigMap,
  'apps/v1/Deployment': require('kubernetes-models/apps/v1/Deployment')
    .Deployment,
  'apps/v1/StatefulSet': require('kubernetes-models/apps/v1/StatefulSet')
    .StatefulSet,
  'policy/v1/PodDisruptionBudget':
    require('kubernetes-models/policy/v1/PodDisruptionBudget')
      .PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress':
    require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress,
  'batch/v1/CronJob': require('kubernetes-models/batch/v1/CronJob').CronJob,
  'networking.k8s.io/v1/NetworkPolicy':
    require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')
      .NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding':
    require('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding')
      .ClusterRoleBinding,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const metadata = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
  },
};
const storeRef = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    kind: { enum: ['SecretStore', 'ClusterSecretStore'] },
  },
};
const remoteRef = {
  type: 'object',
  required: ['key'],
  properties: {
    key: { type: 'string', minLength: 1 },
    property: { type: 'string' },
  },
};
const ESO: Record<string, any> = {
  'external-secrets.io/v1/SecretStore': ajv.compile({
    type: 'object',
    required: ['metadata', 'spec'],
    properties: {
      metadata,
      spec: {
        type: 'object',
        required: ['provider'],
        properties: {
          provider: {
            type: 'object',
            minProperties: 1,
            maxProperties: 1,
            properties: {
              vault: {
                type: 'object',
                required: ['server', 'auth'],
                properties: {
                  version: { enum: ['v1', 'v2'] },
                  server: { type: 'string', pattern: '^https?://' },
                },
              },
              azurekv: {
                type: 'object',
                required: ['vaultUrl'],
                properties: {
                  authType: {
                    enum: [
                      'ServicePrincipal',
                      'ManagedIdentity',
                      'WorkloadIdentity',
                    ],
                  },
                },
              },
              aws: {
                type: 'object',
                required: ['service', 'region'],
                properties: {
                  service: { enum: ['SecretsManager', 'ParameterStore'] },
                },
              },
            },
          },
        },
      },
    },
  }),
  'external-secrets.io/v1/ExternalSecret': ajv.compile({
    type: 'object',
    required: ['metadata', 'spec'],
    properties: {
      metadata,
      spec: {
        type: 'object',
        required: ['target'],
        // A store is needed for data read from it; values made by a generator (dataFrom.sourceRef.generatorRef) need none.
        anyOf: [
          { required: ['secretStoreRef', 'data'] },
          { required: ['dataFrom'] },
        ],
        properties: {
          secretStoreRef: storeRef,
          target: {
            type: 'object',
            required: ['name'],
            properties: {
              creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
              template: {
                type: 'object',
                properties: {
                  engineVersion: { enum: ['v1', 'v2'] },
                  type: { type: 'string' },
                  data: {
                    type: 'object',
                    additionalProperties: { type: 'string' },
                  },
                },
              },
            },
          },
          data: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['secretKey', 'remoteRef'],
              properties: {
                secretKey: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$' },
                remoteRef,
              },
            },
          },
          dataFrom: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['sourceRef'],
              properties: {
                sourceRef: {
                  type: 'object',
                  required: ['generatorRef'],
                  properties: {
                    generatorRef: {
                      type: 'object',
                      required: ['apiVersion', 'kind', 'name'],
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  }),
  // ESO generators (generators.external-secrets.io/v1alpha1 Password): length and character classes.
  'generators.external-secrets.io/v1alpha1/Password': ajv.compile({
    type: 'object',
    required: ['metadata', 'spec'],
    properties: {
      metadata,
      spec: {
        type: 'object',
        required: ['length'],
        properties: {
          length: { type: 'integer', minimum: 1 },
          digits: { type: 'integer' },
          symbols: { type: 'integer' },
          noUpper: { type: 'boolean' },
          allowRepeat: { type: 'boolean' },
        },
      },
    },
  }),
};

export function checkKubernetesObject(obj: any): string[] {
  const id = `${obj?.apiVersion}/${obj?.kind}`;
  const where = `${obj?.kind}/${obj?.metadata?.name}`;
  const Model = MODELS[id];
  if (Model) {
    try {
      new Model(obj).validate();
      return [];
    } catch (e: any) {
      return [`${where}: ${e.message}`];
    }
  }
  const eso = ESO[id];
  if (eso) return eso(obj) ? [] : [`${where}: ${ajv.errorsText(eso.errors)}`];
  if (id === 'kustomize.config.k8s.io/v1beta1/Kustomization') return [];
  return [`${where}: no validator for ${id}`];
}

/**
 * Cross-object checks: a value or a secretKeyRef, not both; selectors match pods. Whether every Secret and key a pod
 * reads is produced is the conformance rule startup.secret-sources.
 */
export function checkKubernetesWiring(objects: any[]): string[] {
  const issues: string[] = [];
  const podLabels = objects
    .filter(x => ['Deployment', 'StatefulSet'].includes(x.kind))
    .map(d => d.spec.template.metadata.labels);
  const workloads = objects
    .filter(x => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind))
    .map(x =>
      x.kind === 'CronJob'
        ? { metadata: x.metadata, spec: x.spec.jobTemplate.spec }
        : x,
    );
  for (const d of workloads) {
    for (const c of d.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef && e.value !== undefined)
          issues.push(
            `${d.metadata.name}: env ${e.name} has both value and secretKeyRef`,
          );
      }
    }
  }
  for (const s of objects.filter(x => x.kind === 'Service')) {
    const sel = s.spec.selector ?? {};
    if (!podLabels.some(l => Object.entries(sel).every(([k, v]) => l[k] === v)))
      issues.push(`Service ${s.metadata.name} selects no pods`);
  }
  return issues;
}
