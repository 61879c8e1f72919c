import { isIP } from 'net';
import type { ConnectionOptions } from 'tls';
import { Client } from 'pg';
import type { DatabaseCredentials, DatabaseTarget } from '../types';
import type { SocketRoute } from '../net/socketRoute';
import { closeQuietly } from './probeModel';

/** libpq sslmode semantics: require = encrypted without verification, verify-full = chain + host name. */
export function postgresSsl(target: DatabaseTarget): false | ConnectionOptions {
  if (target.tlsMode === 'disable') return false;
  if (target.tlsMode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ca: target.ca,
    servername: isIP(target.host) ? undefined : target.host,
  };
}

/** A pg client for a probe (every step bounded) or for init (only the connect bounded). */
export function newPostgresClient(
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  database: string,
  timeoutMs: number,
  purpose: 'probe' | 'init' = 'probe',
  route?: SocketRoute,
): Client {
  // Init runs DDL that may legitimately take long: only its connect is bounded.
  const queryLimits =
    purpose === 'probe'
      ? { query_timeout: timeoutMs, statement_timeout: timeoutMs }
      : {};
  const client = new Client({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database,
    ssl: postgresSsl(target),
    connectionTimeoutMillis: timeoutMs,
    ...queryLimits,
    application_name: 'open-amt-backstage',
    // pg dials stream.connect(port, host) and keeps `host` for TLS: the socket goes to the checked address only.
    ...(route ? { stream: () => route.socket() } : {}),
  });
  // Errors after connect (server restart, reset) arrive as events; without a listener they crash the process.
  client.on('error', () => {});
  return client;
}

/** Drops the client's socket at once: pg's end() waits for the server, which a stuck probe cannot. */
export function destroyPostgresSocket(client: Client) {
  (
    client as unknown as { connection?: { stream?: { destroy(): void } } }
  ).connection?.stream?.destroy();
}

/** Runs `fn` on an init connection to `database`, closed afterwards whatever happens. */
export async function withPostgresClient<T>(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  database: string,
  connectTimeoutMs: number,
  fn: (c: Client) => Promise<T>,
): Promise<T> {
  const client = newPostgresClient(
    target,
    admin,
    database,
    connectTimeoutMs,
    'init',
  );
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await closeQuietly(() => client.end(), 2000);
  }
}
