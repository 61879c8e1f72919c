import { z } from 'zod';
import {
  DATABASE_PROVIDER_IDS,
  DATABASE_PROVIDERS,
  DatabaseProviderInfo,
} from '../providers/databases';
import {
  BUILT_IN_GATEWAY_SPECS,
  GATEWAY_PROVIDERS,
  GatewayProviderInfo,
} from '../providers/gateways';
import {
  BUILT_IN_SECRETS_SPECS,
  SECRETS_PROVIDERS,
  SecretsProviderInfo,
} from '../providers/secretStores';
import { TARGET_IDS } from '../providers/targets';
import {
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASE_IDS,
  toolkitRelease,
} from '../releases';
import type { ToolkitRelease } from '../releases';
import {
  DEPLOYMENT_NAME_PATTERN,
  deploymentName,
  fqdn,
  hostname,
  hostPort,
  httpUrl,
  image,
  port,
  secretName,
} from './fields';
import { DEFAULT_MPS_JWT_ISSUER } from './images';
import {
  imageRegistry,
  kitImageRef,
  PROVIDER_KIT,
  ProviderKitKind,
} from './providerKit';

const databaseFields = z.object({
  host: hostname,
  port: port.optional(),
  /** PostgreSQL sslmode values that both node-postgres and lib/pq (mps-router) accept. */
  tlsMode: z.enum(['disable', 'require', 'verify-full']).default('verify-full'),
  /** Name of the CA bundle in the secrets store (verify-full against a private CA). */
  caCertSecret: secretName.optional(),
  adminUser: z.string().min(1).max(63).default('openamtadmin'),
  rpsDatabase: z
    .string()
    .regex(
      /^[a-z_][a-z0-9_]{0,62}$/,
      'must be a database name: up to 63 lowercase letters, digits and underscores, not starting with a digit',
    )
    .default('rpsdb'),
  mpsDatabase: z
    .string()
    .regex(
      /^[a-z_][a-z0-9_]{0,62}$/,
      'must be a database name: up to 63 lowercase letters, digits and underscores, not starting with a digit',
    )
    .default('mpsdb'),
});

/** The database section for the given database ids (the built-ins, or with added ones). */
const databaseSection = (ids: [string, ...string[]]) =>
  databaseFields.extend({ provider: z.enum(ids) });

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
  name: deploymentName,
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
    .regex(
      DEPLOYMENT_NAME_PATTERN,
      'must be a Kubernetes namespace: at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    )
    .default('open-amt'),
  /** The toolkit release the deployment runs (open-amt-common releases/); new deployments get the newest. */
  toolkitRelease: z
    .enum(TOOLKIT_RELEASE_IDS)
    .default(LATEST_TOOLKIT_RELEASE.id),
  /**
   * Overrides of the release's images; the rest come from the release. With a database or store the upstream images
   * lack, MPS and RPS default to the images this repository builds with the provider kit and pushes to `registry`.
   */
  images: z
    .object({
      mps: notGiven(image),
      rps: notGiven(image),
      mpsrouter: notGiven(image),
      webui: notGiven(image),
      registry: notGiven(imageRegistry),
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
  monitoring: monitoringSpecSchema.optional(),
});

/**
 * An optional field a form may send as '' (the template's `${{ x if checked }}` renders '' when unchecked): absent.
 */
function notGiven<T extends z.ZodTypeAny>(field: T) {
  return z.preprocess(v => (v === '' ? undefined : v), field.optional());
}

/** The built-in providers (the registry's entries). */
export const BUILT_IN_SPEC_PROVIDERS: SpecProviders = {
  databases: Object.values(DATABASE_PROVIDERS),
  secretStores: Object.values(SECRETS_PROVIDERS),
  gateways: Object.values(GATEWAY_PROVIDERS),
};

type ImagesInput = z.output<typeof shapeSchema>['images'];

/**
 * Fills in every image unless overridden: MPS and RPS from the images the repository builds when the spec's rows
 * need the provider kit and a registry is named, everything else from the spec's release.
 */
const withImages =
  (providers: SpecProviders) =>
  <
    S extends {
      name: string;
      toolkitRelease: string;
      images: ImagesInput;
      database: { provider: string };
      secrets: object;
    },
  >(
    spec: S,
  ) => {
    const release = toolkitRelease(spec.toolkitRelease);
    const { mps, rps, mpsrouter, webui, registry } = spec.images;
    const built = (service: 'mps' | 'rps'): string =>
      registry &&
      kitBundleNames(spec as unknown as ProviderSections, providers).length > 0
        ? kitImageRef(
            registry,
            spec.name,
            service,
            release.components[service].version,
          )
        : release.components[service].image;
    return {
      ...spec,
      images: {
        mps: mps ?? built('mps'),
        rps: rps ?? built('rps'),
        mpsrouter: mpsrouter ?? release.components.mpsrouter.image,
        webui: webui ?? release.components.webui.image,
        ...(registry ? { registry } : {}),
      },
    };
  };

/** The spec over the built-in providers only: the static type of every built-in section. */
const builtInSpecSchema = shapeSchema
  .extend({
    database: databaseFields.extend({
      provider: z.enum(DATABASE_PROVIDER_IDS),
    }),
    secrets: z.discriminatedUnion('provider', BUILT_IN_SECRETS_SPECS),
    gateway: z.discriminatedUnion('provider', BUILT_IN_GATEWAY_SPECS),
  })
  .transform(withImages(BUILT_IN_SPEC_PROVIDERS));

/** The providers a spec may name: the built-ins, plus those an adopter added through the extension points. */
export interface SpecProviders {
  databases: readonly DatabaseProviderInfo<string>[];
  secretStores: readonly SecretsProviderInfo<string>[];
  gateways: readonly GatewayProviderInfo<string>[];
}

type SpecSchema = z.ZodType<DeploymentSpec, z.ZodTypeDef, DeploymentSpecInput>;
// The built-ins' schema is the static one: the same sections, so it is not built a second time.
const schemas = new WeakMap<SpecProviders, SpecSchema>([
  [BUILT_IN_SPEC_PROVIDERS, builtInSpecSchema as unknown as SpecSchema],
]);

/**
 * The deployment spec's schema for a set of providers: `secrets` and `gateway` are unions of the providers' own
 * sections (their registry entries' `spec`), so a provider an adopter added is checked like a built-in one.
 */
export function deploymentSpecSchemaFor(providers: SpecProviders): SpecSchema {
  let schema = schemas.get(providers);
  if (!schema) {
    const union = (sections: z.AnyZodObject[]) =>
      z.discriminatedUnion(
        'provider',
        sections as [z.AnyZodObject, ...z.AnyZodObject[]],
      );
    schema = shapeSchema
      .extend({
        database: databaseSection(
          providers.databases.map(p => p.id) as [string, ...string[]],
        ),
        secrets: union(providers.secretStores.map(p => p.spec)),
        gateway: union(providers.gateways.map(p => p.spec)),
      })
      .transform(withImages(providers)) as unknown as SpecSchema;
    schemas.set(providers, schema);
  }
  return schema;
}

/** The spec over the built-in providers. */
export const deploymentSpecSchema = deploymentSpecSchemaFor(
  BUILT_IN_SPEC_PROVIDERS,
);

/** The release a parsed spec names. */
export function releaseOf(
  spec: Pick<DeploymentSpec, 'toolkitRelease'>,
): ToolkitRelease {
  return toolkitRelease(spec.toolkitRelease);
}

type BuiltInSpec = z.output<typeof builtInSpecSchema>;

/** The `secrets` section of a store an adopter added: its own fields, checked by its registry entry's `spec`. */
export interface AddedSecretsSpec {
  provider: string;
  [field: string]: unknown;
}
/** The `gateway` section of a gateway an adopter added: `publicHost` plus its own fields. */
export interface AddedGatewaySpec {
  provider: string;
  publicHost: string;
  [field: string]: unknown;
}

export type DeploymentSpecInput = z.input<typeof builtInSpecSchema>;
/** The database section; `provider` is any registered database's id (built-in or added). */
export type DatabaseSpec = Omit<BuiltInSpec['database'], 'provider'> & {
  provider: string;
};
export type SecretsSpec = BuiltInSpec['secrets'] | AddedSecretsSpec;
export type GatewaySpec = BuiltInSpec['gateway'] | AddedGatewaySpec;
export type DeploymentSpec = Omit<
  BuiltInSpec,
  'database' | 'secrets' | 'gateway'
> & {
  database: DatabaseSpec;
  secrets: SecretsSpec;
  gateway: GatewaySpec;
};

/**
 * Narrows a provider section (`spec.secrets`, `spec.gateway`) to one built-in provider's: the sections of added
 * providers carry any id, so comparing `provider` alone does not narrow the union.
 */
export function isProviderSection<
  S extends { provider: string },
  Id extends string,
>(section: S, id: Id): section is Extract<S, { provider: Id }> {
  return section.provider === id;
}

/** The registry entry a spec section names, among the registered providers of its kind (parsing checked it is there). */
function entryOf<T extends { id: string }>(
  entries: readonly T[],
  section: { provider: string },
): T {
  const entry = entries.find(p => p.id === section.provider);
  if (!entry) throw new Error(`no provider "${section.provider}" registered`);
  return entry;
}

/** Cross-field rules, checked in one place after the shape is valid. */
export function crossFieldIssues(
  spec: DeploymentSpec,
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  issues.push(...imageIssues(spec, providers));
  const serverCa = entryOf(providers.databases, spec.database).serverCa;
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
  if (spec.environment === 'production') {
    const sections = [
      ['secrets', spec.secrets, entryOf(providers.secretStores, spec.secrets)],
      ['gateway', spec.gateway, entryOf(providers.gateways, spec.gateway)],
    ] as const;
    for (const [name, section, info] of sections) {
      for (const issue of info.productionIssues?.(section) ?? [])
        issues.push({ ...issue, path: `${name}.${issue.path}` });
    }
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
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): DeploymentSpec {
  const parsed = deploymentSpecSchemaFor(providers).safeParse(input);
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
  const issues = crossFieldIssues(parsed.data, providers);
  if (issues.length > 0) {
    throw new DeploymentSpecError(
      issues.map(i => ({ ...i, path: prefix(i.path) })),
    );
  }
  return parsed.data;
}

/** True when MPS and RPS need images with a provider the upstream images lack for this spec. */
export function needsCustomProvider(
  spec: DeploymentSpec,
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): boolean {
  return providersBeyondUpstream(spec, providers).length > 0;
}

/** The sections of a spec that name its database and store. */
export interface ProviderSections {
  database: { provider: string };
  secrets: { provider: string };
}

/** A provider the spec's database or store needs that the upstream MPS and RPS images lack. */
export interface ProviderBeyondUpstream {
  /** The factory that imports it: DbCreatorFactory (`data`) or SecretManagerCreatorFactory (`secrets`). */
  kind: ProviderKitKind;
  /** The value of MPS_/RPS_DB_PROVIDER or MPS_/RPS_SECRETS_PROVIDER: the folder the factory imports. */
  name: string;
  label: string;
  /** The provider kit supplies it. */
  inKit: boolean;
}

/** The providers the spec's rows need beyond the upstream images (native rows run on them as they are). */
export function providersBeyondUpstream(
  spec: ProviderSections,
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): ProviderBeyondUpstream[] {
  const db = entryOf(providers.databases, spec.database);
  const store = entryOf(providers.secretStores, spec.secrets);
  const rows = [
    { kind: 'data' as const, info: db, name: db.mpsDbProvider },
    { kind: 'secrets' as const, info: store, name: store.mpsSecretsProvider },
  ];
  return rows
    .filter(r => r.info.supportLevel !== 'native')
    .map(r => ({
      kind: r.kind,
      name: r.name,
      label: r.info.label,
      inKit: (PROVIDER_KIT.providers[r.kind] as readonly string[]).includes(
        r.name,
      ),
    }));
}

/**
 * The provider kit's bundles the built MPS and RPS images carry: every provider beyond upstream, when the kit has
 * them all (else none: such images must be the operator's own).
 */
export function kitBundleNames(
  spec: ProviderSections,
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): { kind: ProviderKitKind; name: string }[] {
  const beyond = providersBeyondUpstream(spec, providers);
  return beyond.every(p => p.inKit)
    ? beyond.map(({ kind, name }) => ({ kind, name }))
    : [];
}

/** The services whose image this spec's repository builds (FROM the release's, with the kit's bundles). */
export function builtImageServices(
  spec: DeploymentSpec,
  providers: SpecProviders = BUILT_IN_SPEC_PROVIDERS,
): ('mps' | 'rps')[] {
  const { registry } = spec.images;
  if (!registry || kitBundleNames(spec, providers).length === 0) return [];
  const release = releaseOf(spec);
  return (['mps', 'rps'] as const).filter(
    service =>
      spec.images[service] ===
      kitImageRef(
        registry,
        spec.name,
        service,
        release.components[service].version,
      ),
  );
}

/**
 * MPS and RPS need images with every provider beyond upstream: built here with the kit (which needs a registry to
 * push to), or the operator's own (needed when the kit lacks one).
 */
function imageIssues(
  spec: DeploymentSpec,
  providers: SpecProviders,
): { path: string; message: string }[] {
  const beyond = providersBeyondUpstream(spec, providers);
  const release = releaseOf(spec);
  const upstreamServices = (['mps', 'rps'] as const).filter(
    s => spec.images[s] === release.components[s].image,
  );
  if (beyond.length === 0 || upstreamServices.length === 0) return [];
  const labels = beyond.map(p => p.label).join(' and ');
  const missing = beyond.filter(p => !p.inKit);
  if (missing.length > 0) {
    return upstreamServices.map(service => ({
      path: `images.${service}`,
      message: `${missing.map(p => p.label).join(' and ')} ${
        missing.length > 1 ? 'are' : 'is'
      } not in the provider kit: name a ${service.toUpperCase()} image built with ${
        missing.length > 1 ? 'their providers' : 'its provider'
      }; the upstream ${release.components[service].image} cannot use it`,
    }));
  }
  if (spec.images.registry) {
    // Named explicitly: the upstream image in place of the one built here.
    return upstreamServices.map(service => ({
      path: `images.${service}`,
      message: `the upstream ${
        release.components[service].image
      } cannot load the providers ${labels} need${
        beyond.length > 1 ? '' : 's'
      }: leave it empty for the image this repository builds, or name your own`,
    }));
  }
  return [
    {
      path: 'images.registry',
      message: `${labels} need${
        beyond.length > 1 ? '' : 's'
      } MPS and RPS images with the provider kit's bundles, which this repository builds: name the registry it pushes them to (ghcr.io/<owner>, <name>.azurecr.io or <account>.dkr.ecr.<region>.amazonaws.com), or name your own images in images.mps and images.rps`,
    },
  ];
}
