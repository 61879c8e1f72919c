/**
 * Negative tests of the first-start and identity rules (issue 18, classes 4 and 5): each injects the defect its rule
 * guards into a rendered output and expects the violation. The rules run over every combination in
 * conformance.test.ts.
 */
import { inject, rendered } from './fixtures';
import {
  firstStartWriterRule,
  vaultCapabilities,
} from './rules/firstStartWriter';
import { storeAuthRule } from './rules/storeAuth';
import { workloadIdentityRule } from './rules/workloadIdentity';

const VAULT_K8S = rendered({
  database: 'postgresql',
  secrets: 'vault',
  gateway: 'kong',
  target: 'kubernetes',
});
const KEY_VAULT_AKS = rendered({
  database: 'postgresql',
  secrets: 'azure-key-vault',
  gateway: 'kong',
  target: 'aks',
});
const AWS_EKS = rendered({
  database: 'postgresql',
  secrets: 'aws-kms',
  gateway: 'tyk',
  target: 'eks',
});
const MPS = 'kubernetes/mps.yaml';
const ACCOUNTS = 'kubernetes/serviceaccounts.yaml';

describe(`${firstStartWriterRule.id}: one MPS writes its certificates before another starts`, () => {
  it('holds for the rendered StatefulSet with two replicas', () => {
    expect(VAULT_K8S.yaml(MPS)[0]).toMatchObject({
      kind: 'StatefulSet',
      spec: { replicas: 2 },
    });
    expect(firstStartWriterRule.check(VAULT_K8S)).toEqual([]);
  });

  it('a Deployment starts both replicas together', () => {
    const defect = inject(
      VAULT_K8S,
      MPS,
      'kind: StatefulSet',
      'kind: Deployment',
    );
    expect(firstStartWriterRule.check(defect)).toEqual([
      'Deployment mps: its 2 pods start together on an empty store and each writes its own MPSCerts (devices then reject all but the last)',
    ]);
  });

  it('a Parallel StatefulSet does too', () => {
    const defect = inject(
      VAULT_K8S,
      MPS,
      /podManagementPolicy: OrderedReady/,
      'podManagementPolicy: Parallel',
    );
    expect(firstStartWriterRule.check(defect)).toEqual([
      'StatefulSet mps: podManagementPolicy Parallel starts its 2 pods together, each writing its own MPSCerts',
    ]);
  });

  it('without a readiness probe the first pod is Ready before it stored them', () => {
    const defect = inject(
      KEY_VAULT_AKS,
      MPS,
      /readinessProbe:/,
      'startupProbe:',
    );
    expect(firstStartWriterRule.check(defect)).toEqual([
      'StatefulSet mps: the first pod counts as Ready before mps stored MPSCerts (no readiness probe on a port it opens after), so the next starts too early',
    ]);
  });

  it('does not apply when MPS is told not to generate certificates', () => {
    const noGenerate = inject(
      VAULT_K8S,
      MPS,
      /kind: StatefulSet/,
      'kind: Deployment',
    );
    const withEnv = inject(
      noGenerate,
      MPS,
      /env:\n(\s+)- name: MPS_COMMON_NAME/,
      'env:\n$1- name: MPS_GENERATE_CERTIFICATES\n$1  value: "false"\n$1- name: MPS_COMMON_NAME',
    );
    expect(firstStartWriterRule.check(withEnv)).toEqual([]);
  });

  it('Vault: an exact path rule wins over the glob (vault/acl.go), the longest glob over a shorter one', () => {
    const hcl = [
      'path "kv/data/a/*" { capabilities = ["read"] }',
      'path "kv/data/a/b/*" { capabilities = ["create", "update"] }',
      'path "kv/data/a/b/MPSCerts" {\n  capabilities = ["create", "read"]\n}',
    ].join('\n');
    expect(vaultCapabilities(hcl, 'kv/data/a/b/MPSCerts')).toEqual([
      'create',
      'read',
    ]);
    expect(vaultCapabilities(hcl, 'kv/data/a/b/devices/x')).toEqual([
      'create',
      'update',
    ]);
    expect(vaultCapabilities(hcl, 'kv/data/a/c')).toEqual(['read']);
    expect(vaultCapabilities(hcl, 'kv/data/z')).toEqual([]);
  });

  it("Vault: MPS's token may replace MPSCerts once its write-once rule is gone (the policy before this fix)", () => {
    const policy = 'secrets-store/vault/policies/mps.hcl';
    const defect = inject(
      VAULT_K8S,
      policy,
      /path "[^"]*\/data\/[^"]*MPSCerts" \{[^}]*\}\n/,
      '',
    );
    expect(firstStartWriterRule.check(defect)).toEqual([
      'secrets-store/vault/bootstrap.sh: policy amt-postgresql-vault-kong-kubernetes-mps may replace kv/data/open-amt/amt-postgresql-vault-kong-kubernetes/MPSCerts (update): an MPS whose read failed would overwrite the CIRA root devices trust',
    ]);
  });

  it('two MPS containers in compose', () => {
    const compose = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'kong',
      target: 'compose',
    });
    expect(firstStartWriterRule.check(compose)).toEqual([]);
    const defect = inject(
      compose,
      'docker-compose.yml',
      /\n {2}mps:\n/,
      '\n  mps:\n    scale: 2\n',
    );
    expect(firstStartWriterRule.check(defect)).toEqual([
      'docker-compose.yml: 2 mps containers start together and each writes its own MPSCerts',
    ]);
  });
});

describe(`${storeAuthRule.id}: every SecretStore carries what its provider needs`, () => {
  it('holds for Key Vault, Secrets Manager and Vault', () => {
    for (const out of [KEY_VAULT_AKS, AWS_EKS, VAULT_K8S])
      expect(storeAuthRule.check(out)).toEqual([]);
  });

  it('Key Vault without the tenant (the store this project rendered before)', () => {
    const defect = inject(
      KEY_VAULT_AKS,
      ACCOUNTS,
      /(name: external-secrets\n[\s\S]*?)\n\s+azure\.workload\.identity\/tenant-id: [^\n]+/,
      '$1',
    );
    expect(storeAuthRule.check(defect)).toEqual([
      'SecretStore open-amt-store: External Secrets cannot authenticate (missing tenantID in store config)',
    ]);
  });

  it('Key Vault with the tenant in the store and on the account', () => {
    const defect = inject(
      KEY_VAULT_AKS,
      'kubernetes/external-secrets.yaml',
      /(\n\s+)authType: WorkloadIdentity/,
      '$1authType: WorkloadIdentity$1tenantId: 00000000-0000-0000-0000-000000000000',
    );
    expect(storeAuthRule.check(defect)).toEqual([
      "SecretStore open-amt-store: External Secrets cannot authenticate (multiple tenantID found. Check secretRef, 'spec.provider.azurekv.tenantId', and serviceAccountRef)",
    ]);
  });

  it('Secrets Manager without the role on the reader account', () => {
    const defect = inject(
      AWS_EKS,
      ACCOUNTS,
      /(name: external-secrets\n[\s\S]*?)\n\s+eks\.amazonaws\.com\/role-arn: [^\n]+/,
      '$1',
    );
    expect(storeAuthRule.check(defect)).toEqual([
      'SecretStore open-amt-store: External Secrets cannot authenticate (an IAM role must be associated with service account external-secrets (namespace: open-amt))',
    ]);
  });
});

describe(`${workloadIdentityRule.id}: each workload holds only the identity it needs`, () => {
  it('holds for the three stores', () => {
    for (const out of [KEY_VAULT_AKS, AWS_EKS, VAULT_K8S])
      expect(workloadIdentityRule.check(out)).toEqual([]);
  });

  it('the Web UI back on the account that may write every device password', () => {
    const defect = inject(
      KEY_VAULT_AKS,
      'kubernetes/webui.yaml',
      'serviceAccountName: open-amt-workload',
      'serviceAccountName: open-amt',
    );
    expect(workloadIdentityRule.check(defect)).toEqual([
      'Deployment webui: runs under open-amt, which holds cloud identity azure.workload.identity/client-id: it needs no identity',
    ]);
  });

  it("mps-router on External Secrets' account (Vault)", () => {
    const defect = inject(
      VAULT_K8S,
      'kubernetes/mpsrouter.yaml',
      'serviceAccountName: open-amt-workload',
      'serviceAccountName: external-secrets',
    );
    expect(workloadIdentityRule.check(defect)).toEqual([
      "Deployment mpsrouter: runs under external-secrets, which holds the secrets store's login, ClusterRoleBinding open-amt-external-secrets-auth-delegator: it needs no identity",
    ]);
  });

  it('MPS without the workload identity label gets no token from the webhook', () => {
    const defect = inject(
      KEY_VAULT_AKS,
      MPS,
      /\n\s+azure\.workload\.identity\/use: "true"/,
      '',
    );
    expect(workloadIdentityRule.check(defect)).toEqual([
      'StatefulSet mps: no azure.workload.identity/use: "true" label, so the workload identity webhook never hands it its token',
    ]);
  });

  it('RPS on the identity-less account cannot reach Secrets Manager', () => {
    const defect = inject(
      AWS_EKS,
      'kubernetes/rps.yaml',
      'serviceAccountName: open-amt',
      'serviceAccountName: open-amt-workload',
    );
    expect(workloadIdentityRule.check(defect)).toEqual([
      'Deployment rps: reads the store with the platform identity, but its service account open-amt-workload carries none',
    ]);
  });

  it('a pod that mounts an API token', () => {
    const defect = inject(
      AWS_EKS,
      'kubernetes/webui.yaml',
      'automountServiceAccountToken: false',
      'automountServiceAccountToken: true',
    );
    expect(workloadIdentityRule.check(defect)).toEqual([
      'Deployment webui: mounts a Kubernetes API token (service account open-amt-workload) it never uses',
    ]);
  });
});
