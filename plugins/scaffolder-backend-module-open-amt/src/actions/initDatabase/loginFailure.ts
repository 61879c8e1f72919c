import { InputError } from '@backstage/errors';
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseLoginError } from '@open-amt-backstage/plugin-open-amt-node';
import { explainTlsFailure } from './databaseTrust';

const LOGIN_FIELDS =
  'Administrator user or password (spec.database.adminUser, secrets.databaseAdminPassword)';

/**
 * The administrator login's failure as one sentence naming the form field to fix, without the driver's stack.
 * Raised before any secret is written or any database changed.
 */
export function explainLoginFailure(
  spec: DeploymentSpec,
  port: number,
  error: DatabaseLoginError,
): Error {
  const server = `the database server at ${spec.database.host}:${port}`;
  const detail = error.code
    ? `${error.message} (${error.code})`
    : error.message;
  switch (error.reason) {
    case 'auth_failed':
      return new InputError(
        `${LOGIN_FIELDS}: ${server} refused the login of ${spec.database.adminUser}: ${detail}. Check the user name and the password.`,
      );
    case 'access_denied':
      return new InputError(
        `${LOGIN_FIELDS}: ${server} accepted ${spec.database.adminUser} but denied it the connection an administrator needs: ${detail}. Use an account that may create databases and users.`,
      );
    case 'tls_error': {
      const explained = explainTlsFailure(spec, error);
      return explained instanceof Error && explained !== error
        ? explained
        : new InputError(
            `TLS mode (spec.database.tlsMode): the TLS connection to ${server} failed: ${detail}. Check that the server offers TLS and the chosen mode.`,
          );
    }
    case 'cannot_connect':
    case 'timeout':
    case 'host_not_allowed':
      return new InputError(
        `Host (spec.database.host): ${server} cannot be reached: ${detail}. Check the host, the port and the firewall.`,
      );
    case 'starting_up':
    case 'too_many_connections':
    case 'missing_database':
    case 'missing_tables':
    case 'missing_citext':
    case 'read_only':
    case 'slow':
    case 'error':
      return new InputError(
        `Database (spec.database): ${server} did not accept the administrator's connection: ${detail}. Try again once the server accepts connections.`,
      );
    default: {
      const never: never = error.reason;
      return new InputError(`Database (spec.database): ${String(never)}`);
    }
  }
}
