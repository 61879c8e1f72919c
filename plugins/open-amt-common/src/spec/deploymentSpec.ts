import { z } from 'zod';
import { HOSTNAME_PATTERN } from '../hostnames';
import {
  DATABASE_PROVIDER_IDS,
  DATABASE_PROVIDERS,
} from '../providers/databases';
import { SECRETS_PROVIDERS } from '../providers/secretStores';
import { TARGET_IDS } from '../providers/targets';
import {
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASE_IDS,
  toolkitRelease,
} from '../releases';
import type { ToolkitRelease } from '../releases';
import { DEFAULT_MPS_JWT_ISSUER, isPinnedImage } from './images';

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(
    HOSTNAME_PATTERN,
    'must be a hostname (letters, digits, hyphens and dots, no scheme or port)',
  );
const fqdn = hostname.refine(
  h => h.includes('.'),
  'must be a fully qualified domain name',
);
const port = z.number().int().min(1).max(65535);
const httpUrl = z
  .string()
  .url('must be a URL')
  .refine(u => /^https?:\/\//.test(u), 'must start with http:// or https://');
/** `host:port` or `[v6]:port`, the port required: where a TCP service is reached. */
const hostPort = z.string().refine(value => {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s/]+)):(\d{1,5})$/i.exec(value);
  if (!match) return false;
  const portNumber = Number(match[3]);
  return (
    (match[1] !== undefined || hostname.safeParse(match[2]).success) &&
    portNumber >= 1 &&
    portNumber <= 65535
  );
}, 'must be host:port, e.g. mps.internal.example.com:4433');
const image = z
  .string()
  .min(3)
  .refine(
    isPinnedImage,
    'must be pinned: a tag other than latest, or a @sha256 digest',
  );
/** Names a secret inside the chosen store; never the secret itself. */
const secretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/, 'must be a secret name');

export const databaseSpecSchema = z.object({
  provider: z.enum(DATABASE_PROVIDER_IDS),
  host: hostname,
  port: port.optional(),
  /** PostgreSQL sslmode values that both node-postgres and lib/pq (mps-router) accept. */
  tlsMode: z.enum(['disable', 'require', 'verify-full']).default('verify-full'),
  /** Name of the CA bundle in the secrets store (verify-full against a private CA). */
  caCertSecret: secretName.optional(),
  adminUser: z.string().min(1).max(63).default('openamtadmin'),
  rpsDatabase: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('rpsdb'),
  mpsDatabase: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('mpsdb'),
});

const vaultSpec = z.object({
  provider: z.literal('vault'),
  address: httpUrl,
  /** KV v2 mount; the Helm chart uses `kv`, compose uses `secret`. */
  mount: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default('kv'),
  pathPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_/-]{0,127}$/)
    .default('open-amt'),
});
const azureKeyVaultSpec = z.object({
  provider: z.literal('azure-key-vault'),
  vaultUrl: httpUrl.refine(u => u.startsWith('https://'), 'must be https'),
  prefix: z
    .string()
    .regex(/^[a-z0-9-]{0,40}$/)
    .default('open-amt'),
});
const awsKmsSpec = z.object({
  provider: z.literal('aws-kms'),
  region: z
    .string()
    .regex(
      /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
      'must be an AWS region such as eu-west-1',
    ),
  kmsKeyId: z.string().min(1).max(2048),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{0,100}$/)
    .default('open-amt'),
  /** Test and LocalStack-style deployments point the SDK elsewhere. */
  endpoint: httpUrl.optional(),
});
export const secretsSpecSchema = z.discriminatedUnion('provider', [
  vaultSpec,
  azureKeyVaultSpec,
  awsKmsSpec,
]);

const gatewayBase = { publicHost: fqdn };
export const gatewaySpecSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('kong'),
    ...gatewayBase,
    adminUrl: httpUrl.optional(),
  }),
  z.object({
    provider: z.literal('azure-apim'),
    ...gatewayBase,
    serviceName: z
      .string()
      .regex(
        /^[a-zA-Z][a-zA-Z0-9-]{0,49}$/,
        'must be an API Management service name',
      ),
    location: z.string().min(1).default('westeurope'),
  }),
  z.object({
    provider: z.literal('aws-api-gateway'),
    ...gatewayBase,
    region: z
      .string()
      .regex(
        /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
        'must be an AWS region such as eu-west-1',
      ),
    stageName: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,128}$/)
      .default('prod'),
    /** The stage's invoke URL, once the API exists; the health probe uses it. */
    invokeUrl: httpUrl.optional(),
  }),
  z.object({
    provider: z.literal('google-cloud-endpoints'),
    ...gatewayBase,
    projectId: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        'must be a Google Cloud project id',
      ),
  }),
  z.object({
    provider: z.literal('tyk'),
    ...gatewayBase,
    gatewayUrl: httpUrl.optional(),
  }),
]);

/**
 * Where the portal backend probes the services (open-amt.io/*-url annotations) when it cannot reach them
 * by their in-cluster or compose names, e.g. through an internal load balancer or a VPN, and MPS's CIRA port
 * (open-amt.io/cira-endpoint) when the public fqdn is not reachable from the portal. Each one is optional;
 * without it the health engine probes the in-cluster name (the fqdn on 4433 for CIRA).
 */
export const monitoringSpecSchema = z.object({
  mpsUrl: httpUrl.optional(),
  rpsUrl: httpUrl.optional(),
  mpsRouterUrl: httpUrl.optional(),
  webUiUrl: httpUrl.optional(),
  /** Where the portal reaches MPS's CIRA port (default `<fqdn>:4433`); the certificate is still checked for fqdn. */
  ciraEndpoint: hostPort.optional(),
});

const shapeSchema = z.object({
  name: z
    .string()
    .regex(
      /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
      'must be lowercase letters, digits and hyphens (max 63)',
    ),
  owner: z.string().min(1),
  description: z.string().max(500).optional(),
  environment: z
    .enum(['production', 'staging', 'development'])
    .default('production'),
  /** MPS_COMMON_NAME: the name devices reach MPS by; it goes into the CIRA certificate. */
  fqdn,
  target: z.enum(TARGET_IDS),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
    .default('open-amt'),
  /** The toolkit release the deployment runs (open-amt-common releases/); new deployments get the newest. */
  toolkitRelease: z
    .enum(TOOLKIT_RELEASE_IDS)
    .default(LATEST_TOOLKIT_RELEASE.id),
  /** Overrides of the release's images (custom providers need custom MPS/RPS images); the rest come from the release. */
  images: z
    .object({
      mps: image.optional(),
      rps: image.optional(),
      mpsrouter: image.optional(),
      webui: image.optional(),
    })
    .default({}),
  replicas: z
    .object({
      mps: z.number().int().min(1).max(20).default(2),
      rps: z.number().int().min(1).max(20).default(2),
      mpsrouter: z.number().int().min(1).max(20).default(2),
      webui: z.number().int().min(1).max(20).default(1),
    })
    .default({}),
  jwtIssuer: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .default(DEFAULT_MPS_JWT_ISSUER),
  database: databaseSpecSchema,
  secrets: secretsSpecSchema,
  gateway: gatewaySpecSchema,
  monitoring: monitoringSpecSchema.optional(),
});

/** The spec with every image filled in from its release unless overridden. */
export const deploymentSpecSchema = shapeSchema.transform(spec => {
  const release = toolkitRelease(spec.toolkitRelease);
  const { mps, rps, mpsrouter, webui } = spec.images;
  return {
    ...spec,
    images: {
      mps: mps ?? release.components.mps.image,
      rps: rps ?? release.components.rps.image,
      mpsrouter: mpsrouter ?? release.components.mpsrouter.image,
      webui: webui ?? release.components.webui.image,
    },
  };
});

/** The release a parsed spec names. */
export function releaseOf(
  spec: Pick<DeploymentSpec, 'toolkitRelease'>,
): ToolkitRelease {
  return toolkitRelease(spec.toolkitRelease);
}

export type DeploymentSpecInput = z.input<typeof deploymentSpecSchema>;
export type DeploymentSpec = z.output<typeof deploymentSpecSchema>;
export type DatabaseSpec = DeploymentSpec['database'];
export type SecretsSpec = DeploymentSpec['secrets'];
export type GatewaySpec = DeploymentSpec['gateway'];

/** Cross-field rules, checked in one place after the shape is valid. */
export function crossFieldIssues(
  spec: DeploymentSpec,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const customReasons = [
    DATABASE_PROVIDERS[spec.database.provider].supportLevel === 'custom'
      ? DATABASE_PROVIDERS[spec.database.provider].label
      : undefined,
    SECRETS_PROVIDERS[spec.secrets.provider].supportLevel === 'custom'
      ? SECRETS_PROVIDERS[spec.secrets.provider].label
      : undefined,
  ].filter(Boolean);
  if (customReasons.length > 0) {
    const release = releaseOf(spec);
    for (const service of ['mps', 'rps'] as const) {
      const upstream = release.components[service].image;
      if (spec.images[service] === upstream) {
        issues.push({
          path: `images.${service}`,
          message: `${customReasons.join(
            ' and ',
          )} need a custom ${service.toUpperCase()} image built with the custom provider; the upstream ${upstream} cannot use it`,
        });
      }
    }
  }
  const serverCa = DATABASE_PROVIDERS[spec.database.provider].serverCa;
  if (
    serverCa &&
    spec.database.tlsMode === 'verify-full' &&
    !spec.database.caCertSecret
  ) {
    issues.push({
      path: 'database.caCertSecret',
      message: `verify-full needs ${serverCa}: MPS, RPS and mps-router do not trust it by default; name the store entry holding it (PEM)`,
    });
  }
  if (
    spec.database.tlsMode === 'disable' &&
    spec.environment === 'production'
  ) {
    issues.push({
      path: 'database.tlsMode',
      message: 'production deployments must not disable TLS to the database',
    });
  }
  if (
    spec.secrets.provider === 'vault' &&
    spec.environment === 'production' &&
    spec.secrets.address.startsWith('http://')
  ) {
    issues.push({
      path: 'secrets.address',
      message: 'production Vault must be reached over https',
    });
  }
  return issues;
}

export class DeploymentSpecError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(
      `Invalid deployment spec: ${issues
        .map(i => `${i.path || '(root)'} ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'DeploymentSpecError';
  }
}

/**
 * Parses and checks a deployment spec; throws DeploymentSpecError naming every bad field.
 * `pathPrefix` lets callers report fields as the user sees them (e.g. `spec.database.host`).
 */
export function parseDeploymentSpec(
  input: unknown,
  pathPrefix = '',
): DeploymentSpec {
  const parsed = deploymentSpecSchema.safeParse(input);
  const prefix = (p: string) =>
    pathPrefix ? `${pathPrefix}${p ? `.${p}` : ''}` : p;
  if (!parsed.success) {
    throw new DeploymentSpecError(
      parsed.error.issues.map(i => ({
        path: prefix(i.path.join('.')),
        message: i.message,
      })),
    );
  }
  const issues = crossFieldIssues(parsed.data);
  if (issues.length > 0) {
    throw new DeploymentSpecError(
      issues.map(i => ({ ...i, path: prefix(i.path) })),
    );
  }
  return parsed.data;
}

/** True when MPS and RPS need images with a custom provider for this spec. */
export function needsCustomProvider(spec: DeploymentSpec): boolean {
  return (
    DATABASE_PROVIDERS[spec.database.provider].supportLevel === 'custom' ||
    SECRETS_PROVIDERS[spec.secrets.provider].supportLevel === 'custom'
  );
}
