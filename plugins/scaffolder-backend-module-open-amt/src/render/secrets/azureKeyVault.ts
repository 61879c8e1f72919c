/**
 * Azure Key Vault: Bicep for the vault (RBAC authorization, soft delete + purge protection) and role
 * assignments — "Key Vault Secrets Officer" for the identity MPS/RPS run as (their custom provider writes devices,
 * profiles, CIRA configs and certificates), "Key Vault Secrets User" for External Secrets (reads), "Key Vault
 * Secrets Officer" for the portal identity that provisions. Azure RBAC cannot narrow a role to name prefixes, so
 * the vault is the deployment's own. Each entry is one secret whose value is a JSON object.
 */
import {
  DeploymentSpec,
  isProviderSection,
  SECRETS_PROVIDERS,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  azureSecretName,
  secretStoreAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import { secretEntryName, StoreEntry } from '../../secrets/entries';
import { RenderedFile } from '../types';
import { flavourFor, identityVariable } from '../kubernetesFlavour';
import { prefixedRuntimePath } from './prefixed';
import { SecretStoreRenderer } from './types';
import { youProvide } from '../runbookStep';
import { jsonFromFiles } from './jsonFromFiles';

const SECRETS_USER_ROLE = '4633458b-17de-408a-b874-0445c86b69e6';
const SECRETS_OFFICER_ROLE = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';

function kvSpec(spec: DeploymentSpec) {
  if (!isProviderSection(spec.secrets, 'azure-key-vault'))
    throw new Error('not a Key Vault spec');
  return spec.secrets;
}

export function keyVaultSecretName(
  spec: DeploymentSpec,
  kind: StoreEntry,
): string {
  // The adapter's naming (Key Vault allows only [0-9a-zA-Z-], ≤127): what the portal writes and readers read.
  return azureSecretName(
    kvSpec(spec).prefix ?? '',
    secretEntryName(spec, kind),
  );
}

/** The Entra ID tenant of the identities (`az account show --query tenantId -o tsv`), filled in like the client ids. */
const tenantVariable = (spec: DeploymentSpec) =>
  `\${${spec.name.toUpperCase().replace(/-/g, '_')}_TENANT_ID}`;

export function keyVaultName(spec: DeploymentSpec): string {
  return new URL(kvSpec(spec).vaultUrl).hostname.split('.')[0];
}

/** One role assignment on the vault. */
function roleAssignment(
  name: string,
  principalParam: string,
  role: string,
): string[] {
  return [
    `resource ${name} 'Microsoft.Authorization/roleAssignments@2022-04-01' = {`,
    '  scope: vault',
    `  name: guid(vault.id, ${principalParam}, '${role}')`,
    '  properties: {',
    `    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${role}')`,
    `    principalId: ${principalParam}`,
    "    principalType: 'ServicePrincipal'",
    '  }',
    '}',
    '',
  ];
}

function bicep(spec: DeploymentSpec): string {
  return [
    `// Azure Key Vault for Open AMT deployment ${spec.name}.`,
    '// Deploy: az deployment group create -g <rg> -f key-vault.bicep -p servicesPrincipalId=<id> readerPrincipalId=<id> provisionerPrincipalId=<id>',
    'param location string = resourceGroup().location',
    `param vaultName string = '${keyVaultName(spec)}'`,
    "@description('Object id of the identity MPS and RPS run as (their secrets provider writes).')",
    'param servicesPrincipalId string',
    "@description('Object id of the identity External Secrets (or the resolve script) reads with.')",
    'param readerPrincipalId string',
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
    ...roleAssignment(
      'servicesWrite',
      'servicesPrincipalId',
      SECRETS_OFFICER_ROLE,
    ),
    ...roleAssignment('readerReads', 'readerPrincipalId', SECRETS_USER_ROLE),
    ...roleAssignment(
      'provisionerWrites',
      'provisionerPrincipalId',
      SECRETS_OFFICER_ROLE,
    ),
    'output vaultUri string = vault.properties.vaultUri',
    '',
  ].join('\n');
}

export const azureKeyVaultRenderer: SecretStoreRenderer = {
  info: SECRETS_PROVIDERS['azure-key-vault'],
  adapter: secretStoreAdapters['azure-key-vault'],
  bootstrapSteps(spec) {
    const isCompose = TARGETS[spec.target].platform === 'compose';
    return [
      {
        text: `Deploy \`secrets-store/azure-key-vault/key-vault.bicep\` with the object ids of the identity MPS and RPS run as (servicesPrincipalId: "Key Vault Secrets Officer", they write devices, profiles and certificates), of ${
          isCompose
            ? 'the identity the resolve script runs as'
            : 'External Secrets'
        } (readerPrincipalId: "Key Vault Secrets User") and of the portal (provisionerPrincipalId).`,
        commands: [
          youProvide('$RESOURCE_GROUP', 'the resource group of the vault'),
          youProvide(
            '$SERVICES_PRINCIPAL_ID',
            'object id of the identity MPS and RPS run as',
          ),
          youProvide(
            '$READER_PRINCIPAL_ID',
            `object id of ${
              isCompose
                ? 'the identity the resolve script runs as'
                : 'External Secrets'
            }`,
          ),
          youProvide(
            '$PROVISIONER_PRINCIPAL_ID',
            "object id of the portal's identity",
          ),
          'az deployment group create -g "$RESOURCE_GROUP" -f secrets-store/azure-key-vault/key-vault.bicep -p servicesPrincipalId="$SERVICES_PRINCIPAL_ID" readerPrincipalId="$READER_PRINCIPAL_ID" provisionerPrincipalId="$PROVISIONER_PRINCIPAL_ID" -o none',
        ],
      },
    ];
  },
  writeCommand: (spec, entry, files) => [
    `az keyvault secret set --vault-name ${keyVaultName(
      spec,
    )} --name ${keyVaultSecretName(spec, entry)} --value "$(${jsonFromFiles(
      files,
    )})" -o none`,
  ],
  address: spec => kvSpec(spec).vaultUrl,
  runtimeSecretsPath: spec => prefixedRuntimePath(spec, kvSpec(spec).prefix),
  endpointAnnotation: spec => kvSpec(spec).vaultUrl,
  mountAnnotation: spec => kvSpec(spec).prefix,
  inputField: () => 'spec.secrets.vaultUrl',
  bootstrap: (spec): RenderedFile[] => [
    {
      path: 'secrets-store/azure-key-vault/key-vault.bicep',
      content: bicep(spec),
    },
  ],
  externalSecretsProvider(spec) {
    return {
      azurekv: {
        vaultUrl: kvSpec(spec).vaultUrl,
        authType: 'WorkloadIdentity',
        serviceAccountRef: { name: 'external-secrets' },
      },
    };
  },
  // External Secrets needs both on the account it names (or tenantId in the store, never both): without a tenant its
  // azurekv provider fails with "missing tenantID in store config" (keyvault.go, authorizerForWorkloadIdentity).
  serviceAccountAnnotations: (spec, account) => ({
    'azure.workload.identity/client-id': identityVariable(
      spec,
      account,
      'CLIENT_ID',
    ),
    'azure.workload.identity/tenant-id': tenantVariable(spec),
  }),
  podLabels: () => ({ 'azure.workload.identity/use': 'true' }),
  identitySteps: spec => [
    ...(flavourFor(spec).federation === 'azure'
      ? []
      : [
          'This cluster is not AKS, so Entra ID does not trust its service accounts yet: publish its service-account issuer (OIDC discovery reachable by Entra ID) and install the Azure Workload Identity webhook with your tenant id; it hands the pods labelled `azure.workload.identity/use` (MPS, RPS) their federated token (External Secrets requests its own).',
        ]),
    `Create two user-assigned managed identities with federated credentials for the cluster's issuer in namespace ${
      spec.namespace
    }: one for the service account open-amt (MPS and RPS write their runtime secrets: the Bicep's servicesPrincipalId) and one for external-secrets (reads only: readerPrincipalId); set their client ids in kubernetes/serviceaccounts.yaml (${identityVariable(
      spec,
      'open-amt',
      'CLIENT_ID',
    )}, ${identityVariable(
      spec,
      'external-secrets',
      'CLIENT_ID',
    )}, e.g. with envsubst), and your tenant id (\`az account show --query tenantId -o tsv\`) as ${tenantVariable(
      spec,
    )}.`,
  ],
  remoteKey: keyVaultSecretName,
  readCommand(spec, kind: StoreEntry) {
    return `az keyvault secret show --vault-name ${keyVaultName(
      spec,
    )} --name ${keyVaultSecretName(spec, kind)} --query value -o tsv`;
  },
};
