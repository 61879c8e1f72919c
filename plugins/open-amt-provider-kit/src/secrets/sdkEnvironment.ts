/**
 * MPS and RPS replace `process.env` with a copy whose names are lower-cased and whose values went through their
 * parseValue ("true" → true, "42" → 42) before reading their config (mps src/index.ts:35-38@v2.34.1, :28-31@v2.13.21;
 * rps src/utils/Environment.ts:14-18@v2.39.4 and @v2.22.14). The AWS SDK's default credential chain reads the
 * upper-case names (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN for IRSA, AWS_CONTAINER_CREDENTIALS_* for ECS,
 * AWS_ACCESS_KEY_ID…: @aws-sdk/credential-provider-web-identity fromTokenFile, credential-provider-env fromEnv,
 * @smithy/credential-provider-imds), so inside the services it would find none of them and fall through to the EC2
 * instance metadata service. Giving the SDK its names back makes IRSA and ECS task roles work.
 *
 * The Azure SDK is in the same position: DefaultAzureCredential reads AZURE_CLIENT_ID, AZURE_TENANT_ID and
 * AZURE_FEDERATED_TOKEN_FILE (workload identity) and IDENTITY_ENDPOINT / IDENTITY_HEADER / MSI_* / IMDS_ENDPOINT (managed
 * identity) from process.env (@azure/identity environmentCredential, workloadIdentityCredential,
 * managedIdentityCredential).
 *
 * Only names with the SDK's prefixes missing in upper case are added, as strings; a value parseValue turned into a number loses
 * leading zeros (none of the SDK's variables has them).
 */
export function restoreSdkEnvironment(
  env: Record<string, unknown>,
  prefixes: readonly string[],
): string[] {
  const restored: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (!prefixes.some(p => name.startsWith(p)) || env[upper] !== undefined)
      continue;
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isNaN(value)) continue;
    env[upper] = String(value);
    restored.push(upper);
  }
  return restored;
}

/** The lower-case prefixes of the variables each SDK's credential chain reads. */
export const AWS_SDK_ENV_PREFIXES = ['aws_'] as const;
export const AZURE_SDK_ENV_PREFIXES = [
  'azure_',
  'identity_',
  'msi_',
  'imds_',
] as const;
