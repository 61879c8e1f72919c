import type { ClassifiedError, DatabaseProbeReason } from './probeModel';
import { classifyNodeError, fallback } from './networkErrors';

/**
 * mssql/tedious report login failures as ConnectionError code ELOGIN with the server's message and no
 * number, so the login case is told apart by the message SQL Server sends (error 18456, 4060, 916, 17809,
 * Azure 40613/10928). Request errors carry `number`.
 */
const LOGIN_MESSAGES: [RegExp, DatabaseProbeReason][] = [
  [/Cannot open database/i, 'missing_database'], // 4060 (also when the login has no user there)
  [/not able to access the database/i, 'access_denied'], // 916
  [
    /maximum number of user connections|request limit for the database|session limit for the database/i,
    'too_many_connections',
  ], // 17809, 10928, 10929
  [
    /is not currently available|starting up|in the middle of a restore|single user mode/i,
    'starting_up',
  ], // 40613, 18401
  [/Login failed/i, 'auth_failed'], // 18456
];

const REQUEST_NUMBERS: Record<number, DatabaseProbeReason> = {
  208: 'missing_tables', // invalid object name
  229: 'access_denied', // permission denied on object
  262: 'access_denied', // permission denied in database
  911: 'missing_database',
  3906: 'read_only', // database is read-only
};

export function classifyMssqlError(
  error: unknown,
  opts: { tlsRequested: boolean; password?: string },
): ClassifiedError {
  const e = error as {
    code?: string;
    number?: number;
    message?: string;
    originalError?: { number?: number; code?: string };
  };
  const message = String(e?.message ?? '');
  const number = e?.number ?? e?.originalError?.number;
  if (e?.code === 'ELOGIN') {
    const hit = LOGIN_MESSAGES.find(([re]) => re.test(message));
    return fallback(error, hit ? hit[1] : 'auth_failed', opts.password);
  }
  if (typeof number === 'number' && REQUEST_NUMBERS[number])
    return fallback(error, REQUEST_NUMBERS[number], opts.password);
  if (e?.code === 'ETIMEOUT') return fallback(error, 'timeout', opts.password);
  if (e?.code === 'EINSTLOOKUP')
    return fallback(error, 'cannot_connect', opts.password);
  const nodeReason = classifyNodeError(error, opts);
  if (nodeReason) return fallback(error, nodeReason, opts.password);
  if (e?.code === 'ESOCKET')
    return fallback(error, 'cannot_connect', opts.password);
  return fallback(error, 'error', opts.password);
}
