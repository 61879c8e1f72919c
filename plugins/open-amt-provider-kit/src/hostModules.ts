import type { KitService } from './bundles';
import type { HostLogger } from './host/secrets';

/**
 * What a provider gets from the service it runs in. The bundle entry imports the host's own modules by their path
 * relative to the bundle (`dist/<kind>/<name>/index.js`), kept external by the bundler, so the provider uses the
 * running service's objects: its configuration, and the very error classes the routes test with `instanceof`.
 *
 * The modules are identical at both supported tags of each service (checked with `git show <tag>:<path>`); `source`
 * cites the defining line at each tag. A release that moves one gets its own record here.
 */
export interface HostModule {
  /** Import specifier relative to `dist/<kind>/<name>/index.js`. */
  specifier: string;
  /** `path:line@tag` of the definition, one per supported tag. */
  source: readonly string[];
}

/** How a host value is taken from its module (the entry generator switches over this). */
export type HostValueUse =
  /** A named (or `default`) export as it is. */
  | { use: 'export'; name: string }
  /** The module namespace (constants: many named exports). */
  | { use: 'namespace' }
  /** A property of an export, read each time it is used (MPS sets Environment.Config at start-up). */
  | { use: 'property'; name: string; property: string }
  /** An instance of an exported class, constructed with the provider's name (RPS's `new Logger(name)`). */
  | { use: 'instance'; name: string };

export type HostValue = HostValueUse & { module: string };

/** `Environment.Config` of both services: the parsed configuration; the keys the kit's providers read. */
export interface HostConfig {
  vault_address?: string;
  secrets_path?: string;
  postgres_ssl_ca?: string;
  [key: string]: unknown;
}

/** MPS's error class: `new MPSValidationError(message, status?, errorName?)`. */
export type MpsValidationErrorClass = new (
  message: string,
  status?: number,
  errorName?: string,
) => Error;

/** RPS's error class: `new RPSError(message, errorName?, item?)`; `name` = errorName, `item` = the latest row. */
export type RpsErrorClass = new (
  message: string,
  errorName?: string,
  item?: unknown,
) => Error;

type Message = (...args: string[]) => string;

/** RPS src/utils/constants.ts: the texts the database tables use (strings, and builders taking names). */
export interface RpsConstants {
  DEFAULT_TOP: number;
  DEFAULT_SKIP: number;
  CONCURRENCY_EXCEPTION: string;
  CONCURRENCY_MESSAGE: string;
  API_UNEXPECTED_EXCEPTION: Message;
  CIRA_CONFIG_DELETION_FAILED_CONSTRAINT: Message;
  CIRA_CONFIG_INSERTION_FAILED: Message;
  CIRA_CONFIG_INSERTION_FAILED_DUPLICATE: Message;
  DUPLICATE_DOMAIN_FAILED: Message;
  IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE: Message;
  IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS: Message;
  IEEE8021X_INSERTION_FAILED: Message;
  IEEE8021X_INSERTION_FAILED_DUPLICATE: Message;
  NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT: Message;
  NETWORK_CONFIG_ERROR: Message;
  NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE: Message;
  PROFILE_INSERTION_CIRA_CONSTRAINT: Message;
  PROFILE_INSERTION_FAILED_DUPLICATE: Message;
  PROFILE_INSERTION_GENERIC_CONSTRAINT: Message;
  PROFILE_INSERTION_NETWORK_CONSTRAINT: Message;
}

/** MPS src/utils/constants.ts: paging defaults of the devices table. */
export interface MpsConstants {
  DefaultTop: number;
  DefaultSkip: number;
}

/** What a provider of each service may be given (a factory names the keys it takes in its registry row). */
export interface MpsHost {
  config: HostConfig;
  MPSValidationError: MpsValidationErrorClass;
  constants: MpsConstants;
  logger: HostLogger;
  /** src/logging/messages.ts: the `messages` enum (DATABASE_INSERT_FAILED, SECRET_MANAGER_*, …). */
  messages: Readonly<Record<string, string>>;
}

export interface RpsHost {
  config: HostConfig;
  RPSError: RpsErrorClass;
  constants: RpsConstants;
  /** `new Logger(<provider name>)`: RPS's Logger prefixes each line with that name. */
  logger: HostLogger;
}

export interface HostOf {
  mps: MpsHost;
  rps: RpsHost;
}

const MPS_TAGS = ['v2.13.21', 'v2.34.1'] as const;
const RPS_TAGS = ['v2.22.14', 'v2.39.4'] as const;
const at = (tags: readonly string[], file: string, lines: readonly number[]) =>
  tags.map((tag, i) => `${file}:${lines[i]}@${tag}`);

/** The host's modules, by a short key. */
export const HOST_MODULES: Record<KitService, Record<string, HostModule>> = {
  mps: {
    Environment: {
      specifier: '../../utils/Environment.js',
      source: at(MPS_TAGS, 'src/utils/Environment.ts', [12, 12]),
    },
    MPSValidationError: {
      specifier: '../../utils/MPSValidationError.js',
      source: at(MPS_TAGS, 'src/utils/MPSValidationError.ts', [6, 6]),
    },
    constants: {
      specifier: '../../utils/constants.js',
      source: at(MPS_TAGS, 'src/utils/constants.ts', [169, 207]),
    },
    logging: {
      specifier: '../../logging/index.js',
      source: at(MPS_TAGS, 'src/logging/index.ts', [6, 6]),
    },
  },
  rps: {
    Environment: {
      specifier: '../../utils/Environment.js',
      source: at(RPS_TAGS, 'src/utils/Environment.ts', [31, 42]),
    },
    RPSError: {
      specifier: '../../utils/RPSError.js',
      source: at(RPS_TAGS, 'src/utils/RPSError.ts', [6, 6]),
    },
    constants: {
      specifier: '../../utils/constants.js',
      source: at(RPS_TAGS, 'src/utils/constants.ts', [130, 139]),
    },
    Logger: {
      specifier: '../../Logger.js',
      source: at(RPS_TAGS, 'src/Logger.ts', [67, 67]),
    },
  },
};

/** Each host value: which module it comes from and how. */
export const HOST_VALUES: {
  [S in KitService]: { [K in keyof HostOf[S]]: HostValue };
} = {
  mps: {
    config: {
      module: 'Environment',
      use: 'property',
      name: 'Environment',
      property: 'Config',
    },
    MPSValidationError: {
      module: 'MPSValidationError',
      use: 'export',
      name: 'MPSValidationError',
    },
    constants: { module: 'constants', use: 'namespace' },
    logger: { module: 'logging', use: 'export', name: 'logger' },
    messages: { module: 'logging', use: 'export', name: 'messages' },
  },
  rps: {
    config: {
      module: 'Environment',
      use: 'property',
      name: 'Environment',
      property: 'Config',
    },
    RPSError: { module: 'RPSError', use: 'export', name: 'RPSError' },
    constants: { module: 'constants', use: 'namespace' },
    logger: { module: 'Logger', use: 'instance', name: 'default' },
  },
};

/**
 * How the factories load a provider (`await import(\`../<kind>/${provider}/index.js\`)` from dist/factories/, then
 * `new Provider(connectionString)` for data, `new Provider(logger)` for secrets).
 */
export const FACTORY_SOURCES: Record<KitService, readonly string[]> = {
  mps: [
    ...at(MPS_TAGS, 'src/factories/DbCreatorFactory.ts', [13, 13]),
    ...at(MPS_TAGS, 'src/factories/SecretManagerCreatorFactory.ts', [15, 15]),
  ],
  rps: [
    ...at(RPS_TAGS, 'src/factories/DbCreatorFactory.ts', [13, 13]),
    ...at(RPS_TAGS, 'src/factories/SecretManagerCreatorFactory.ts', [15, 15]),
  ],
};

/** Every specifier of a service's host modules (the bundler's externals). */
export const hostSpecifiers = (service: KitService): string[] =>
  Object.values(HOST_MODULES[service]).map(m => m.specifier);
