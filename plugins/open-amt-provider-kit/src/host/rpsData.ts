import type { DataLogger } from './dataLogger';

/**
 * What the RPS database providers take from the running RPS (injected by the bundle entry, which imports these
 * modules by path relative to `dist/data/<name>/index.js`). Same exports at v2.22.14 and v2.39.4.
 */
export const RPS_DATA_HOST_MODULES = {
  /** `export class RPSError(message, errorName?, item?)` — rps src/utils/RPSError.ts:6 */
  RPSError: '../../utils/RPSError.js',
  /** messages below, `DEFAULT_TOP`/`DEFAULT_SKIP` — rps src/utils/constants.ts */
  constants: '../../utils/constants.js',
  /** `export default class Logger(name)` — rps src/Logger.ts:35 */
  Logger: '../../Logger.js',
  /** `{ Environment }.Config.postgres_ssl_ca` (v2.39.4 only) — rps src/utils/Environment.ts */
  Environment: '../../utils/Environment.js',
} as const;

export type RpsErrorClass = new (
  message: string,
  errorName?: string,
  item?: unknown,
) => Error;

/** The constants the postgres tables use (rps src/utils/constants.ts:17-60@v2.39.4, same text at v2.22.14). */
export interface RpsDataConstants {
  DEFAULT_TOP: number;
  DEFAULT_SKIP: number;
  CONCURRENCY_EXCEPTION: string;
  CONCURRENCY_MESSAGE: string;
  API_UNEXPECTED_EXCEPTION(message: string): string;
  PROFILE_INSERTION_FAILED_DUPLICATE(name: string): string;
  PROFILE_INSERTION_CIRA_CONSTRAINT(name: string): string;
  PROFILE_INSERTION_GENERIC_CONSTRAINT(name: string): string;
  CIRA_CONFIG_DELETION_FAILED_CONSTRAINT(name: string): string;
  CIRA_CONFIG_INSERTION_FAILED_DUPLICATE(name: string): string;
  IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS(name: string): string;
  IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE(name: string): string;
  IEEE8021X_INSERTION_FAILED(name: string): string;
  IEEE8021X_INSERTION_FAILED_DUPLICATE(name: string): string;
  NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT(type: string, name: string): string;
  NETWORK_CONFIG_ERROR(type: string, name: string): string;
  NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE(type: string, name: string): string;
  DUPLICATE_DOMAIN_FAILED(name: string): string;
}

export interface RpsDataHost {
  RPSError: RpsErrorClass;
  constants: RpsDataConstants;
  logger?: DataLogger;
  /** Environment.Config: a CA file (PEM path) for verify-full, when the release reads one. */
  config?: { postgres_ssl_ca?: string };
}
