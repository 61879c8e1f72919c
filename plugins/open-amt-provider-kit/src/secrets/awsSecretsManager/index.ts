import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HostLogger, SecretsHost } from '../../host/secrets';
import { MpsSecretManager } from '../mpsSecretManager';
import { RpsSecretManager } from '../rpsSecretManager';
import { awsStoreConfig } from './config';
import { AWS_SDK_ENV_PREFIXES, restoreSdkEnvironment } from '../sdkEnvironment';
import { AwsSecretsManagerStore } from './store';

export { AwsSecretsManagerStore } from './store';
export type { AwsSecretsManagerStoreOptions } from './store';
export { awsStoreConfig } from './config';
export type { AwsStoreConfig } from './config';

/**
 * The Secrets Manager entry store of a service (MPS or RPS), configured from its `Environment.Config` and
 * authenticated by the SDK's default credential chain (IRSA web identity, ECS task role, EC2 instance profile):
 * nothing secret is in the config.
 */
export function awsSecretsManagerStore(
  host: SecretsHost,
  env: Record<string, unknown> = process.env,
): AwsSecretsManagerStore {
  const config = awsStoreConfig(host.config);
  restoreSdkEnvironment(env, AWS_SDK_ENV_PREFIXES);
  const client = new SecretsManagerClient({
    region: config.region,
    endpoint: config.endpoint,
  });
  return new AwsSecretsManagerStore(client, {
    secretsPath: config.secretsPath,
    kmsKeyId: config.kmsKeyId,
  });
}

/** MPS's secrets provider on AWS Secrets Manager (bundle `mps` × `secrets` × `aws-secrets-manager`). */
export function createMpsAwsSecretManager(
  logger: HostLogger,
  host: SecretsHost,
): MpsSecretManager {
  return new MpsSecretManager(awsSecretsManagerStore(host), logger);
}

/** RPS's secrets provider on AWS Secrets Manager (bundle `rps` × `secrets` × `aws-secrets-manager`). */
export function createRpsAwsSecretManager(
  logger: HostLogger,
  host: SecretsHost,
): RpsSecretManager {
  return new RpsSecretManager(awsSecretsManagerStore(host), logger);
}
