/**
 * What a secrets provider takes from the service it runs in (MPS or RPS), by injection: the bundle entry imports the
 * host's modules by relative path and passes them in; the kit never imports the host itself.
 */

/** The host's logger (MPS and RPS `src/interfaces/ILogger.ts`, the same at every supported tag). */
export interface HostLogger {
  debug(log: string, ...params: unknown[]): void;
  info(log: string, ...params: unknown[]): void;
  warn(log: string, ...params: unknown[]): void;
  error(log: string, ...params: unknown[]): void;
  verbose(log: string, ...params: unknown[]): void;
  silly(log: string, ...params: unknown[]): void;
}

/**
 * The host's configuration as `Environment.Config` holds it (MPS and RPS `src/utils/Environment.ts`): the store's
 * address (`<SVC>_VAULT_ADDRESS`) and the entry name prefix (`<SVC>_SECRETS_PATH`), as our renderer sets them.
 */
export interface SecretsHost {
  config: {
    vault_address?: string;
    secrets_path?: string;
    [k: string]: unknown;
  };
}
