/**
 * Who the portal is when it talks to the chosen store: a task secret from the template
 * (`${{ secrets.vaultToken }}` …) wins, then app-config `openAmt.scaffolder.*`, then — for Azure and AWS —
 * the platform's default identity chain. Missing credentials fail before anything is contacted.
 */
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { unknownProvider } from '@open-amt-backstage/plugin-open-amt-common';
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAuth } from '@open-amt-backstage/plugin-open-amt-node';

export type TaskSecrets = Record<string, string | undefined> | undefined;

/** Replaceable so an adopter (or a test) can supply another identity source, e.g. a managed identity. */
export type StoreAuthResolver = (spec: DeploymentSpec, secrets: TaskSecrets, config?: Config) => SecretStoreAuth;

export function resolveStoreAuth(spec: DeploymentSpec, secrets: TaskSecrets, config?: Config): SecretStoreAuth {
  const cfg = config?.getOptionalConfig('openAmt.scaffolder');
  switch (spec.secrets.provider) {
    case 'vault': {
      const token = secrets?.vaultToken ?? cfg?.getOptionalString('vault.token');
      if (!token) {
        throw new InputError('secrets.vaultToken is required: pass the Vault token as a task secret (ui:field Secret) or set openAmt.scaffolder.vault.token');
      }
      const ca = cfg?.getOptionalString('vault.ca');
      return { kind: 'vault-token', token, ...(ca ? { ca } : {}) };
    }
    case 'azure-key-vault': {
      const tenantId = secrets?.azureTenantId ?? cfg?.getOptionalString('azure.tenantId');
      const clientId = secrets?.azureClientId ?? cfg?.getOptionalString('azure.clientId');
      const clientSecret = secrets?.azureClientSecret ?? cfg?.getOptionalString('azure.clientSecret');
      const authorityHost = cfg?.getOptionalString('azure.authorityHost');
      const ca = cfg?.getOptionalString('azure.ca');
      const credential =
        tenantId && clientId && clientSecret
          ? new ClientSecretCredential(tenantId, clientId, clientSecret, authorityHost ? { authorityHost } : {})
          : new DefaultAzureCredential();
      return { kind: 'azure', credential, ...(ca ? { ca } : {}) };
    }
    case 'aws-kms': {
      const accessKeyId = secrets?.awsAccessKeyId ?? cfg?.getOptionalString('aws.accessKeyId');
      const secretAccessKey = secrets?.awsSecretAccessKey ?? cfg?.getOptionalString('aws.secretAccessKey');
      const sessionToken = secrets?.awsSessionToken ?? cfg?.getOptionalString('aws.sessionToken');
      if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
        throw new InputError('secrets.awsSecretAccessKey and secrets.awsAccessKeyId must be given together');
      }
      const ca = cfg?.getOptionalString('aws.ca');
      return {
        kind: 'aws',
        ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
        ...(ca ? { ca } : {}),
      };
    }
    default:
      return unknownProvider(spec.secrets);
  }
}
