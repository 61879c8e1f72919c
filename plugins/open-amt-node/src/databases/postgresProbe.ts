import type { DatabaseCredentials, DatabaseTarget } from '../types';
import type { SocketRoute } from '../net/socketRoute';
import { classifyPostgresError } from './postgresErrors';
import { destroyPostgresSocket, newPostgresClient } from './postgresConnection';
import {
  closeQuietly,
  type EngineProbe,
  type Side,
  type SideObservation,
} from './probeModel';

/** One round trip for everything the probe wants to know. */
const PROBE_SQL = `SELECT current_setting('server_version') AS version,
  pg_is_in_recovery() AS in_recovery,
  current_setting('transaction_read_only') AS tx_read_only,
  (SELECT extversion FROM pg_extension WHERE extname = 'citext') AS citext,
  ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(current_schemas(false)) AND c.relkind IN ('r', 'p')) AS tables,
  (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
  (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls_version`;

function readOnlyDetail(
  inRecovery: boolean,
  txReadOnly: boolean,
): string | undefined {
  if (inRecovery) return 'pg_is_in_recovery() = true (standby)';
  return txReadOnly ? 'transaction_read_only = on' : undefined;
}

/** The PostgreSQL side of runDatabaseProbe: connect, SELECT 1, then PROBE_SQL, on the checked address only. */
export function postgresEngine(
  label: string,
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  route: SocketRoute,
): EngineProbe {
  const tlsRequested = target.tlsMode !== 'disable';
  const classify = (error: unknown) =>
    classifyPostgresError(error, {
      tlsRequested,
      password: credentials.password,
    });
  return {
    engineLabel: label,
    classify,
    async observe(
      side: Side,
      database: string,
      budgetMs: number,
      signal: AbortSignal,
    ): Promise<SideObservation> {
      const client = newPostgresClient(
        target,
        credentials,
        database,
        budgetMs,
        'probe',
        route,
      );
      const kill = () => destroyPostgresSocket(client);
      signal.addEventListener('abort', kill, { once: true });
      const started = performance.now();
      try {
        await client.connect();
        const connectMs = Math.round(performance.now() - started);
        const before = performance.now();
        await client.query('SELECT 1');
        const selectMs = Math.round((performance.now() - before) * 10) / 10;
        const row = (await client.query(PROBE_SQL)).rows[0];
        const inRecovery = row.in_recovery === true;
        const txReadOnly = row.tx_read_only === 'on';
        return {
          side,
          database,
          connectMs,
          selectMs,
          version: row.version,
          readOnly: inRecovery || txReadOnly,
          readOnlyDetail: readOnlyDetail(inRecovery, txReadOnly),
          tablesPresent: row.tables,
          citext: side === 'rps' ? row.citext ?? null : undefined,
          tls: {
            inUse: row.ssl === true,
            verified: row.ssl === true && target.tlsMode === 'verify-full',
            protocol: row.tls_version ?? undefined,
          },
          extra: { inRecovery },
        };
      } catch (error) {
        return { side, database, failure: classify(error) };
      } finally {
        signal.removeEventListener('abort', kill);
        await closeQuietly(() => client.end());
        kill();
      }
    },
  };
}
