import { AWS_KIT_CONFIG_KEYS } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretsHost } from '../../host/secrets';

/** Where and how the store writes, from the service's config (our renderer's render/secrets/awsKms.ts sets it). */
export interface AwsStoreConfig {
  /** Secrets Manager endpoint (`<SVC>_VAULT_ADDRESS`: the regional URL or the spec's endpoint override). */
  endpoint: string;
  /** SigV4 region (`<SVC>_AWS_REGION`). */
  region: string;
  /** The deployment's customer-managed key new secrets are created with (`<SVC>_AWS_KMS_KEY_ID`). */
  kmsKeyId: string;
  /** Name prefix of the runtime secrets (`<SVC>_SECRETS_PATH`, `<prefix>-<deployment>-`). */
  secretsPath: string;
}

/** The host's config read as the store needs it; throws naming the missing settings (never their values). */
export function awsStoreConfig(config: SecretsHost['config']): AwsStoreConfig {
  // parseValue may have made numbers of the values (sdkEnvironment.ts): take them back as strings.
  const text = (key: string) => {
    const value = config[key];
    return value === undefined || value === null || value === ''
      ? undefined
      : String(value);
  };
  const settings = {
    endpoint: text('vault_address'),
    region: text(AWS_KIT_CONFIG_KEYS.region),
    kmsKeyId: text(AWS_KIT_CONFIG_KEYS.kmsKeyId),
    secretsPath: text('secrets_path') ?? '',
  };
  const missing = Object.entries({
    vault_address: settings.endpoint,
    [AWS_KIT_CONFIG_KEYS.region]: settings.region,
    [AWS_KIT_CONFIG_KEYS.kmsKeyId]: settings.kmsKeyId,
  })
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);
  if (missing.length) {
    throw new Error(
      `aws-secrets-manager: the service config lacks ${missing.join(
        ', ',
      )} (MPS_/RPS_ + the upper-cased key in the environment)`,
    );
  }
  return settings as AwsStoreConfig;
}
