/**
 * HashiCorp Vault in production mode: a KV v2 mount and least-privilege policies instead of the root
 * token the toolkit uses — MPS and RPS may only touch their runtime path, External Secrets (or the
 * operator's resolve script) may only read this deployment's entries.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { secretEntryName, SECRET_ENTRY_KINDS, SecretEntryKind } from '../../secrets/entries';
import { runtimeSecretsPath } from '../env';
import { RenderedFile } from '../types';
import { SecretStoreRenderer } from './types';

function vaultSpec(spec: DeploymentSpec) {
  if (spec.secrets.provider !== 'vault') throw new Error('not a Vault spec');
  return spec.secrets;
}

/** Path of an entry under the mount (KV v2 API paths add /data/ or /metadata/ after the mount). */
export function vaultEntryPath(spec: DeploymentSpec, kind: SecretEntryKind): string {
  return `${vaultSpec(spec).pathPrefix}/${secretEntryName(spec, kind)}`;
}

export function vaultPolicies(spec: DeploymentSpec): Record<'mps' | 'rps' | 'reader', string> {
  const { mount } = vaultSpec(spec);
  const runtime = runtimeSecretsPath(spec); // <mount>/data/<prefix>/<name>/
  const runtimeMeta = runtime.replace(`${mount}/data/`, `${mount}/metadata/`);
  const runtimePolicy = (who: string) =>
    [
      `# ${who} of ${spec.name}: its runtime secrets (devices, profiles, CIRA configs, certificates) only.`,
      `path "${runtime}*" {`,
      '  capabilities = ["create", "read", "update", "delete", "list"]',
      '}',
      `path "${runtimeMeta}*" {`,
      '  capabilities = ["read", "list", "delete"]',
      '}',
      '',
    ].join('\n');
  const reader = [
    `# External Secrets / resolve-secrets.sh for ${spec.name}: read this deployment's entries, nothing else.`,
    ...Object.keys(SECRET_ENTRY_KINDS).flatMap(kind => [
      `path "${mount}/data/${vaultEntryPath(spec, kind as SecretEntryKind)}" {`,
      '  capabilities = ["read"]',
      '}',
    ]),
    '',
  ].join('\n');
  return { mps: runtimePolicy('MPS'), rps: runtimePolicy('RPS'), reader };
}

function bootstrapScript(spec: DeploymentSpec): string {
  const { mount } = vaultSpec(spec);
  return [
    '#!/usr/bin/env bash',
    `# Bootstraps Vault for ${spec.name}: run once as an operator (VAULT_ADDR and an admin VAULT_TOKEN set).`,
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `vault secrets list -format=json | grep -q '"${mount}/"' || vault secrets enable -path=${mount} -version=2 kv`,
    `vault policy write ${spec.name}-mps policies/mps.hcl`,
    `vault policy write ${spec.name}-rps policies/rps.hcl`,
    `vault policy write ${spec.name}-reader policies/reader.hcl`,
    '# Periodic tokens for MPS and RPS bound to their policies (renewable, not root):',
    `MPS_TOKEN=$(vault token create -policy=${spec.name}-mps -period=768h -orphan -field=token)`,
    `RPS_TOKEN=$(vault token create -policy=${spec.name}-rps -period=768h -orphan -field=token)`,
    `vault kv put -mount=${mount} ${vaultEntryPath(spec, 'vault-tokens')} mps="$MPS_TOKEN" rps="$RPS_TOKEN" >/dev/null`,
    'unset MPS_TOKEN RPS_TOKEN',
    `echo "Vault ready: policies ${spec.name}-mps, ${spec.name}-rps, ${spec.name}-reader"`,
    '',
  ].join('\n');
}

export const vaultRenderer: SecretStoreRenderer = {
  bootstrap(spec): RenderedFile[] {
    const p = vaultPolicies(spec);
    return [
      { path: 'secrets-store/vault/bootstrap.sh', content: bootstrapScript(spec) },
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
        auth: { kubernetes: { mountPath: 'kubernetes', role: `${spec.name}-reader`, serviceAccountRef: { name: 'external-secrets' } } },
      },
    };
  },
  remoteKey: vaultEntryPath,
  readCommand(spec, kind) {
    return `vault kv get -mount=${vaultSpec(spec).mount} -format=json ${vaultEntryPath(spec, kind)} | jq -c .data.data`;
  },
};
