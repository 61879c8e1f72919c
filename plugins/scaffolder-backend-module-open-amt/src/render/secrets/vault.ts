/**
 * HashiCorp Vault in production mode: a KV v2 mount and least-privilege policies instead of the root
 * token the toolkit uses — MPS and RPS may only touch their runtime path, External Secrets (or the
 * operator's resolve script) may only read this deployment's entries.
 */
import {
  DeploymentSpec,
  isProviderSection,
  releaseOf,
  SECRETS_PROVIDERS,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  secretStoreAdapters,
  vaultSecretPath,
} from '@open-amt-backstage/plugin-open-amt-node';
import { databaseCaFile } from '../../secrets/databaseTls';
import { servesOwnTls } from '../gatewayTls';
import {
  gatewayTlsEntry,
  secretEntryName,
  SECRET_ENTRY_KINDS,
  SecretEntryKind,
  StoreEntry,
} from '../../secrets/entries';
import { RenderedFile } from '../types';
import { SecretStoreRenderer } from './types';
import { WORKLOAD_ACCOUNT } from '../kubernetesFlavour';
import { youProvide } from '../runbookStep';
import { scriptHeader } from '../shellScript';

function vaultSpec(spec: DeploymentSpec) {
  if (!isProviderSection(spec.secrets, 'vault'))
    throw new Error('not a Vault spec');
  return spec.secrets;
}

function runtimeSecretsPath(spec: DeploymentSpec): string {
  const s = vaultSpec(spec);
  return `${s.mount}/data/${vaultSecretPath(s, spec.name)}/`;
}

/**
 * Path of an entry under the mount (KV v2 API paths add /data/ or /metadata/ after the mount): the adapter's own
 * naming, so the portal writes, the runbook stores and every reader reads one path.
 */
export function vaultEntryPath(spec: DeploymentSpec, kind: StoreEntry): string {
  return vaultSecretPath(vaultSpec(spec), secretEntryName(spec, kind));
}

/** Operator-kept entries this deployment reads: the database CA bundle (when verifying with one), Kong's certificate. */
function operatorEntries(spec: DeploymentSpec): StoreEntry[] {
  return [
    ...(databaseCaFile(spec) && spec.database.caCertSecret
      ? [{ name: spec.database.caCertSecret }]
      : []),
    ...(servesOwnTls(spec) ? [gatewayTlsEntry(spec)] : []),
  ];
}

export function vaultPolicies(
  spec: DeploymentSpec,
): Record<'mps' | 'rps' | 'reader', string> {
  const { mount } = vaultSpec(spec);
  const runtime = runtimeSecretsPath(spec); // <mount>/data/<prefix>/<name>/
  const runtimeMeta = runtime.replace(`${mount}/data/`, `${mount}/metadata/`);
  // Entries a service creates on first start (MPSCerts): write-once for their creator (KV v2 checks existence, so a
  // write to an existing key needs "update"), read-only for the others. MPS regenerates whenever its read fails, and
  // must not then replace the CIRA root devices trust; the exact path outranks the glob.
  const firstStart = Object.entries(releaseOf(spec).components).flatMap(
    ([creator, c]) =>
      (c.createsOnFirstStart ?? []).map(entry => ({ creator, entry })),
  );
  const runtimePolicy = (who: 'mps' | 'rps') =>
    [
      `# ${who.toUpperCase()} of ${
        spec.name
      }: its runtime secrets (devices, profiles, CIRA configs, certificates) only.`,
      `path "${runtime}*" {`,
      '  capabilities = ["create", "read", "update", "delete", "list"]',
      '}',
      `path "${runtimeMeta}*" {`,
      '  capabilities = ["read", "list", "delete"]',
      '}',
      ...firstStart.flatMap(({ creator, entry }) => [
        `path "${runtime}${entry}" {`,
        `  capabilities = [${creator === who ? '"create", ' : ''}"read"]`,
        '}',
        `path "${runtimeMeta}${entry}" {`,
        '  capabilities = ["read"]',
        '}',
      ]),
      '',
    ].join('\n');
  const reader = [
    `# External Secrets / resolve-secrets.sh for ${spec.name}: read this deployment's entries, nothing else.`,
    ...[
      ...(Object.keys(SECRET_ENTRY_KINDS) as SecretEntryKind[]),
      ...operatorEntries(spec),
    ].flatMap(entry => [
      `path "${mount}/data/${vaultEntryPath(spec, entry)}" {`,
      '  capabilities = ["read"]',
      '}',
    ]),
    '',
  ].join('\n');
  return { mps: runtimePolicy('mps'), rps: runtimePolicy('rps'), reader };
}

/** The Kubernetes auth role External Secrets logs in with (SecretStore auth.kubernetes.role). */
export const vaultReaderRole = (spec: DeploymentSpec) => `${spec.name}-reader`;

/** Service tokens are periodic: renewed within the period they never expire, and keep their value (no restart). */
export const SERVICE_TOKEN_PERIOD = '768h';
/** Renewal runs daily, far inside the period, so a few failed runs still leave weeks. */
const RENEW_EVERY_SECONDS = 86_400;
const RENEW_SCHEDULE = '17 3 * * *';
/** hashicorp/vault runs as its `vault` user (uid 100 in the image). */
const VAULT_IMAGE_UID = 100;

/** Renews both service tokens with their own identity (the default policy allows auth/token/renew-self). */
const RENEW_COMMAND =
  'VAULT_TOKEN="$MPS_VAULT_TOKEN" vault token renew >/dev/null && VAULT_TOKEN="$RPS_VAULT_TOKEN" vault token renew >/dev/null && echo "renewed MPS and RPS Vault tokens"';

/**
 * Kubernetes targets: External Secrets' SecretStore logs in with Vault's Kubernetes auth as service account
 * `external-secrets`; Vault verifies that account's token with the TokenReview API, using the token itself when no
 * reviewer JWT is configured — hence the system:auth-delegator binding rendered with it.
 */
function kubernetesAuthLines(spec: DeploymentSpec): string[] {
  if (TARGETS[spec.target].platform !== 'kubernetes') return [];
  const role = vaultReaderRole(spec);
  return [
    `# Kubernetes auth for External Secrets (service account external-secrets, namespace ${spec.namespace}):`,
    `[[ $(vault auth list -format=json) == *'"kubernetes/"'* ]] || vault auth enable kubernetes`,
    'if ! vault read -field=kubernetes_host auth/kubernetes/config >/dev/null 2>&1; then',
    '  # KUBERNETES_HOST: the cluster API server URL; KUBERNETES_CA_FILE: its CA (kubectl config view --raw).',
    '  vault write auth/kubernetes/config kubernetes_host="${KUBERNETES_HOST:?set KUBERNETES_HOST}" kubernetes_ca_cert=@"${KUBERNETES_CA_FILE:?set KUBERNETES_CA_FILE}"',
    'fi',
    `vault write auth/kubernetes/role/${role} bound_service_account_names=external-secrets bound_service_account_namespaces=${spec.namespace} policies=${spec.name}-reader ttl=1h`,
  ];
}

function bootstrapScript(spec: DeploymentSpec): string {
  const { mount } = vaultSpec(spec);
  return [
    ...scriptHeader(
      `Bootstraps Vault for ${spec.name}: run once as an operator (VAULT_ADDR and an admin VAULT_TOKEN set).`,
    ),
    // A match on the captured list, not `| grep -q`: under pipefail, grep quitting early can make the pipeline fail
    // (SIGPIPE) and send an existing mount to `secrets enable`, which refuses it.
    `[[ $(vault secrets list -format=json) == *'"${mount}/"'* ]] || vault secrets enable -path=${mount} -version=2 kv`,
    `vault policy write ${spec.name}-mps policies/mps.hcl`,
    `vault policy write ${spec.name}-rps policies/rps.hcl`,
    `vault policy write ${spec.name}-reader policies/reader.hcl`,
    ...kubernetesAuthLines(spec),
    `# Periodic tokens for MPS and RPS bound to their policies (not root). MPS/RPS read their token once at start and`,
    `# never renew it: vault-token-renewer renews both daily, so they never reach the end of their ${SERVICE_TOKEN_PERIOD} period.`,
    `MPS_TOKEN=$(vault token create -policy=${spec.name}-mps -period=${SERVICE_TOKEN_PERIOD} -orphan -field=token)`,
    `RPS_TOKEN=$(vault token create -policy=${spec.name}-rps -period=${SERVICE_TOKEN_PERIOD} -orphan -field=token)`,
    `vault kv put -mount=${mount} ${vaultEntryPath(
      spec,
      'vault-tokens',
    )} mps="$MPS_TOKEN" rps="$RPS_TOKEN" >/dev/null`,
    'unset MPS_TOKEN RPS_TOKEN',
    `echo "Vault ready: policies ${spec.name}-mps, ${spec.name}-rps, ${spec.name}-reader"`,
    '',
  ].join('\n');
}

export const vaultRenderer: SecretStoreRenderer = {
  info: SECRETS_PROVIDERS.vault,
  adapter: secretStoreAdapters.vault,
  bootstrapSteps(spec) {
    const isCompose = TARGETS[spec.target].platform === 'compose';
    return [
      {
        text: `Initialise and unseal Vault (production mode), then run \`secrets-store/vault/bootstrap.sh\` as an administrator: it enables the KV v2 mount, writes the least-privilege policies${
          isCompose
            ? ''
            : ', sets up Kubernetes auth for External Secrets (`KUBERNETES_HOST` and `KUBERNETES_CA_FILE` are needed unless auth/kubernetes is already configured)'
        } and stores periodic MPS/RPS tokens. \`vault-token-renewer\` (${
          isCompose ? 'a compose service' : 'a CronJob'
        }) renews both tokens daily: MPS and RPS never renew their token, and a periodic token not renewed for 768 h expires.`,
        commands: [
          `export VAULT_ADDR=${vaultSpec(spec).address}`,
          youProvide('$VAULT_TOKEN', "an administrator's token"),
          ...(isCompose
            ? []
            : [
                youProvide('$KUBERNETES_HOST', "the cluster's API server URL"),
                youProvide(
                  'file $KUBERNETES_CA_FILE',
                  "the cluster's CA (kubectl config view --raw)",
                ),
              ]),
          'secrets-store/vault/bootstrap.sh',
        ],
      },
    ];
  },
  cliSetup: spec => [
    `export VAULT_ADDR=${vaultSpec(spec).address}`,
    youProvide('$VAULT_TOKEN', 'a Vault token allowed to do this step'),
  ],
  writeCommand: (spec, entry, files) => [
    `vault kv put -mount=${vaultSpec(spec).mount} ${vaultEntryPath(
      spec,
      entry,
    )} ${Object.entries(files)
      .map(([key, file]) => `${key}=@"${file}"`)
      .join(' ')} >/dev/null`,
  ],
  ownEntryKinds: ['vault-tokens'],
  address: spec => vaultSpec(spec).address,
  runtimeSecretsPath,
  endpointAnnotation: spec => vaultSpec(spec).address,
  mountAnnotation: spec => vaultSpec(spec).mount,
  inputField: () => 'spec.secrets.address',
  // A static token bound to a least-privilege policy (bootstrap.sh); the renewer keeps it alive.
  serviceEnv: (_spec, prefix) => [
    {
      name: `${prefix}_VAULT_TOKEN`,
      secret: { kind: 'vault-tokens', key: prefix.toLowerCase() },
    },
  ],
  bootstrap(spec): RenderedFile[] {
    const p = vaultPolicies(spec);
    return [
      {
        path: 'secrets-store/vault/bootstrap.sh',
        content: bootstrapScript(spec),
      },
      { path: 'secrets-store/vault/policies/mps.hcl', content: p.mps },
      { path: 'secrets-store/vault/policies/rps.hcl', content: p.rps },
      { path: 'secrets-store/vault/policies/reader.hcl', content: p.reader },
    ];
  },
  externalSecretsProvider(spec) {
    const s = vaultSpec(spec);
    return {
      vault: {
        server: s.address,
        path: s.mount,
        version: 'v2',
        auth: {
          kubernetes: {
            mountPath: 'kubernetes',
            role: `${spec.name}-reader`,
            serviceAccountRef: { name: 'external-secrets' },
          },
        },
      },
    };
  },
  remoteKey: vaultEntryPath,
  composeServices(spec) {
    return {
      'vault-token-renewer': {
        image: releaseOf(spec).infrastructure.vault,
        restart: 'always',
        env_file: ['secrets/mps.env', 'secrets/rps.env'],
        environment: { VAULT_ADDR: vaultSpec(spec).address },
        entrypoint: ['/bin/sh', '-c'],
        command: [
          `while true; do ${RENEW_COMMAND} || echo "Vault token renewal failed"; sleep ${RENEW_EVERY_SECONDS}; done`,
        ],
        networks: ['openamtnetwork'],
      },
    };
  },
  kubernetesObjects(spec) {
    const labels = {
      'app.kubernetes.io/name': 'vault-token-renewer',
      'app.kubernetes.io/part-of': 'open-amt',
      'app.kubernetes.io/instance': spec.name,
    };
    const token = (service: 'mps' | 'rps') => ({
      name: `${service.toUpperCase()}_VAULT_TOKEN`,
      valueFrom: {
        secretKeyRef: {
          name: `${service}-secrets`,
          key: `${service}-vault-token`,
        },
      },
    });
    return [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: {
          name: `${spec.namespace}-external-secrets-auth-delegator`,
          labels,
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'system:auth-delegator',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'external-secrets',
            namespace: spec.namespace,
          },
        ],
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: {
          name: 'vault-token-renewer',
          namespace: spec.namespace,
          labels,
        },
        spec: {
          schedule: RENEW_SCHEDULE,
          concurrencyPolicy: 'Forbid',
          jobTemplate: {
            spec: {
              backoffLimit: 3,
              template: {
                metadata: { labels },
                spec: {
                  restartPolicy: 'OnFailure',
                  // Renews with the tokens themselves: no Kubernetes identity.
                  serviceAccountName: WORKLOAD_ACCOUNT,
                  automountServiceAccountToken: false,
                  securityContext: {
                    runAsNonRoot: true,
                    runAsUser: VAULT_IMAGE_UID,
                    runAsGroup: VAULT_IMAGE_UID,
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                  containers: [
                    {
                      name: 'renew',
                      image: releaseOf(spec).infrastructure.vault,
                      command: ['/bin/sh', '-c', RENEW_COMMAND],
                      env: [
                        { name: 'VAULT_ADDR', value: vaultSpec(spec).address },
                        token('mps'),
                        token('rps'),
                      ],
                      securityContext: {
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ['ALL'] },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      },
    ];
  },
  readCommand(spec, kind: StoreEntry) {
    return `vault kv get -mount=${
      vaultSpec(spec).mount
    } -format=json ${vaultEntryPath(spec, kind)} | jq -c .data.data`;
  },
};
