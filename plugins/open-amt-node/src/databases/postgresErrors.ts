import type { ClassifiedError, DatabaseProbeReason } from './probeModel';
import { classifyNodeError, fallback } from './networkErrors';

/** SQLSTATE → reason (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATE: Record<string, DatabaseProbeReason> = {
  '28P01': 'auth_failed', // invalid_password
  '28000': 'auth_failed', // invalid_authorization_specification (unknown role, no pg_hba entry)
  '3D000': 'missing_database', // invalid_catalog_name
  '42501': 'access_denied', // insufficient_privilege (e.g. no CONNECT on the database)
  '42P01': 'missing_tables', // undefined_table
  '53300': 'too_many_connections',
  '57P03': 'starting_up', // cannot_connect_now
  '57P01': 'starting_up', // admin_shutdown: the server is going away
  '57014': 'timeout', // query_canceled by statement_timeout
};

export function classifyPostgresError(
  error: unknown,
  opts: { tlsRequested: boolean; password?: string },
): ClassifiedError {
  const code = (error as any)?.code;
  if (typeof code === 'string' && SQLSTATE[code])
    return fallback(error, SQLSTATE[code], opts.password);
  const message = String((error as any)?.message ?? '');
  if (/connection timeout|timeout expired|query read timeout/i.test(message))
    return fallback(error, 'timeout', opts.password);
  if (/does not support SSL/i.test(message))
    return fallback(error, 'tls_error', opts.password);
  const nodeReason = classifyNodeError(error, opts);
  if (nodeReason) return fallback(error, nodeReason, opts.password);
  if (/Connection terminated unexpectedly/i.test(message))
    return fallback(error, 'cannot_connect', opts.password);
  return fallback(error, 'error', opts.password);
}
