/**
 * Azure Key Vault: Bicep for the vault (RBAC authorization, soft delete + purge protection) and role
 * assignments — "Key Vault Secrets User" for the workload identity MPS/RPS/External Secrets run as,
 * "Key Vault Secrets Officer" for the portal identity that provisions. Each entry is one secret whose
 * value is a JSON object.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { secretEntryName, StoreEntry } from '../../secrets/entries';
import { RenderedFile } from '../types';
import { SecretStoreRenderer } from './types';

const SECRETS_USER_ROLE = '4633458b-17de-408a-b874-0445c86b69e6';
const SECRETS_OFFICER_ROLE = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';

function kvSpec(spec: DeploymentSpec) {
  if (spec.secrets.provider !== 'azure-key-vault') throw new Error('not a Key Vault spec');
  return spec.secrets;
}

export function keyVaultSecretName(spec: DeploymentSpec, kind: StoreEntry): string {
  const { prefix } = kvSpec(spec);
  return `${prefix ? `${prefix}-` : ''}${secretEntryName(spec, kind)}`;
}

export function keyVaultName(spec: DeploymentSpec): string {
  return new URL(kvSpec(spec).vaultUrl).hostname.split('.')[0];
}

function bicep(spec: DeploymentSpec): string {
  return [
    `// Azure Key Vault for Open AMT deployment ${spec.name}.`,
    '// Deploy: az deployment group create -g <rg> -f key-vault.bicep -p workloadPrincipalId=<id> provisionerPrincipalId=<id>',
    "param location string = resourceGroup().location",
    `param vaultName string = '${keyVaultName(spec)}'`,
    "@description('Object id of the identity MPS, RPS and External Secrets run as (workload identity / managed identity).')",
    'param workloadPrincipalId string',
    "@description('Object id of the Backstage portal identity that provisions the secrets.')",
    'param provisionerPrincipalId string',
    '',
    "resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {",
    '  name: vaultName',
    '  location: location',
    '  properties: {',
    "    sku: { family: 'A', name: 'standard' }",
    '    tenantId: subscription().tenantId',
    '    enableRbacAuthorization: true',
    '    enableSoftDelete: true',
    '    softDeleteRetentionInDays: 90',
    '    enablePurgeProtection: true',
    "    publicNetworkAccess: 'Enabled'",
    '  }',
    '}',
    '',
    "resource workloadReads 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
    '  scope: vault',
    `  name: guid(vault.id, workloadPrincipalId, '${SECRETS_USER_ROLE}')`,
    '  properties: {',
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${SECRETS_USER_ROLE}')`,
    '    principalId: workloadPrincipalId',
    "    principalType: 'ServicePrincipal'",
    '  }',
    '}',
    '',
    "resource provisionerWrites 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
    '  scope: vault',
    `  name: guid(vault.id, provisionerPrincipalId, '${SECRETS_OFFICER_ROLE}')`,
    '  properties: {',
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${SECRETS_OFFICER_ROLE}')`,
    '    principalId: provisionerPrincipalId',
    "    principalType: 'ServicePrincipal'",
    '  }',
    '}',
    '',
    'output vaultUri string = vault.properties.vaultUri',
    '',
  ].join('\n');
}

export const azureKeyVaultRenderer: SecretStoreRenderer = {
  bootstrap: (spec): RenderedFile[] => [{ path: 'secrets-store/azure-key-vault/key-vault.bicep', content: bicep(spec) }],
  externalSecretsProvider(spec) {
    return {
      azurekv: {
        vaultUrl: kvSpec(spec).vaultUrl,
        authType: 'WorkloadIdentity',
        serviceAccountRef: { name: 'external-secrets' },
      },
    };
  },
  remoteKey: keyVaultSecretName,
  readCommand(spec, kind: StoreEntry) {
    return `az keyvault secret show --vault-name ${keyVaultName(spec)} --name ${keyVaultSecretName(spec, kind)} --query value -o tsv`;
  },
};
