/** Deployment specs for tests and the benchmark: one valid input per combination of choices. */
import {
  DATABASE_PROVIDERS,
  DATABASE_PROVIDER_IDS,
  DatabaseProviderId,
  DeploymentSpecInput,
  GATEWAY_PROVIDER_IDS,
  GatewayProviderId,
  SECRETS_PROVIDER_IDS,
  SecretsProviderId,
  TARGET_IDS,
  TargetId,
} from '@open-amt-backstage/plugin-open-amt-common';

export interface Combination {
  database: DatabaseProviderId;
  secrets: SecretsProviderId;
  gateway: GatewayProviderId;
  target: TargetId;
}

export function allCombinations(): Combination[] {
  const out: Combination[] = [];
  for (const database of DATABASE_PROVIDER_IDS)
    for (const secrets of SECRETS_PROVIDER_IDS)
      for (const gateway of GATEWAY_PROVIDER_IDS)
        for (const target of TARGET_IDS)
          out.push({ database, secrets, gateway, target });
  return out;
}

const SECRETS: Record<SecretsProviderId, DeploymentSpecInput['secrets']> = {
  vault: {
    provider: 'vault',
    address: 'https://vault.example.com:8200',
    mount: 'kv',
    pathPrefix: 'open-amt',
  },
  'azure-key-vault': {
    provider: 'azure-key-vault',
    vaultUrl: 'https://amt-kv.vault.azure.net',
    prefix: 'open-amt',
  },
  'aws-kms': {
    provider: 'aws-kms',
    region: 'eu-west-1',
    kmsKeyId:
      'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    prefix: 'open-amt',
  },
};

const GATEWAYS: Record<GatewayProviderId, DeploymentSpecInput['gateway']> = {
  kong: { provider: 'kong', publicHost: 'amt.example.com' },
  tyk: { provider: 'tyk', publicHost: 'amt.example.com' },
  'azure-apim': {
    provider: 'azure-apim',
    publicHost: 'amt.example.com',
    serviceName: 'amt-apim',
    location: 'westeurope',
  },
  'aws-api-gateway': {
    provider: 'aws-api-gateway',
    publicHost: 'amt.example.com',
    region: 'eu-west-1',
    stageName: 'prod',
  },
  'google-cloud-endpoints': {
    provider: 'google-cloud-endpoints',
    publicHost: 'amt.example.com',
    projectId: 'amt-project-1',
  },
};

/** The registry each target's example pushes its built images to: GHCR, ACR on AKS, ECR on EKS. */
export const REGISTRIES: Record<TargetId, string> = {
  compose: 'ghcr.io/example-org',
  kubernetes: 'ghcr.io/example-org',
  aks: 'amtexample.azurecr.io',
  eks: '111122223333.dkr.ecr.eu-west-1.amazonaws.com',
};

const CUSTOM_DB = new Set<DatabaseProviderId>([
  'azure-sql',
  'mssql',
  'mariadb',
]);

export function specFor(
  c: Combination,
  overrides: Partial<DeploymentSpecInput> = {},
): DeploymentSpecInput {
  const custom = CUSTOM_DB.has(c.database) || c.secrets !== 'vault';
  const name = `amt-${c.database}-${c.secrets}-${c.gateway}-${c.target}`
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return {
    name,
    owner: 'group:default/platform',
    environment: 'production',
    fqdn: 'mps.example.com',
    target: c.target,
    // Rows beyond the upstream images: the repository builds MPS and RPS with the provider kit, for this registry.
    ...(custom ? { images: { registry: REGISTRIES[c.target] } } : {}),
    // Managed PostgreSQL signs with CAs the services do not trust: verify-full names the bundle (caCertSecret).
    database: {
      provider: c.database,
      host: 'db.example.com',
      tlsMode: 'verify-full',
      ...(DATABASE_PROVIDERS[c.database]?.serverCa
        ? { caCertSecret: 'db-ca-bundle' }
        : {}),
    },
    secrets: SECRETS[c.secrets],
    gateway: GATEWAYS[c.gateway],
    ...overrides,
  };
}
