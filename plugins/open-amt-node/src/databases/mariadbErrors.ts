import type { ClassifiedError, DatabaseProbeReason } from './probeModel';
import { classifyNodeError, fallback } from './networkErrors';

/** Server errnos (https://mariadb.com/kb/en/mariadb-error-code-reference/) and connector errnos (45xxx). */
const ERRNO: Record<number, DatabaseProbeReason> = {
  1045: 'auth_failed', // ER_ACCESS_DENIED_ERROR
  1698: 'auth_failed', // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1044: 'access_denied', // ER_DBACCESS_DENIED_ERROR
  1049: 'missing_database', // ER_BAD_DB_ERROR
  1146: 'missing_tables', // ER_NO_SUCH_TABLE
  1040: 'too_many_connections', // ER_CON_COUNT_ERROR
  1203: 'too_many_connections', // ER_TOO_MANY_USER_CONNECTIONS
  1226: 'too_many_connections', // ER_USER_LIMIT_REACHED (max_user_connections)
  1053: 'starting_up', // ER_SERVER_SHUTDOWN
  45012: 'timeout', // ER_CONNECTION_TIMEOUT
  45026: 'timeout', // ER_SOCKET_TIMEOUT
  45028: 'timeout', // ER_GET_CONNECTION_TIMEOUT
  45039: 'timeout', // ER_INITIAL_TIMEOUT_ERROR
  45023: 'tls_error', // ER_SERVER_SSL_DISABLED
  45056: 'tls_error', // ER_SELF_SIGNED
  45057: 'tls_error',
  45059: 'tls_error', // ER_TLS_IDENTITY_ERROR
  45062: 'tls_error',
  45063: 'tls_error',
};

export function classifyMariadbError(
  error: unknown,
  opts: { tlsRequested: boolean; password?: string },
): ClassifiedError {
  const errno = (error as { errno?: number })?.errno;
  if (typeof errno === 'number' && ERRNO[errno])
    return fallback(error, ERRNO[errno], opts.password);
  const nodeReason = classifyNodeError(error, opts);
  return fallback(error, nodeReason ?? 'error', opts.password);
}
