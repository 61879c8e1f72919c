/*
 * The demo portal's stand-in stack (packages/backend/src/demo), as the scenario drives it: its control API
 * makes components fail and recover; its Vault holds what the scaffolder provisioned.
 */
import { Client, escapeIdentifier } from 'pg';

export const STAND_IN = {
  control: 'http://127.0.0.1:7300',
  vault: 'http://127.0.0.1:7301',
  mps: 'http://127.0.0.1:7302',
  rps: 'http://127.0.0.1:7303',
  mpsrouter: 'http://127.0.0.1:7304',
  webui: 'http://127.0.0.1:7305',
  kongAdmin: 'http://127.0.0.1:7306',
  /** MPS's CIRA port (TLS, `host:port`); it presents a certificate for whatever MPS name the probe asks for. */
  cira: '127.0.0.1:7307',
  /** The stand-in Vault's local-only token (app-config.yaml, packages/backend/src/demo/ports.ts). */
  vaultToken: 'demo-stand-in-vault-token-local-only',
} as const;

export const STAND_IN_PORTS = [7300, 7301, 7302, 7303, 7304, 7305, 7306, 7307];

export async function controlStandIn(
  action: string,
  body?: Record<string, unknown>,
): Promise<any> {
  const res = await fetch(`${STAND_IN.control}/control/${action}`, {
    method: action === 'status' ? 'GET' : 'POST',
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok)
    throw new Error(
      `stand-in control ${action}: HTTP ${res.status} ${await res.text()}`,
    );
  return res.json();
}

/** Keys (never values) of a KV v2 entry in the stand-in Vault; undefined when absent. */
export async function vaultEntryKeys(
  path: string,
): Promise<string[] | undefined> {
  const res = await fetch(`${STAND_IN.vault}/v1/kv/data/${path}`, {
    headers: { 'X-Vault-Token': STAND_IN.vaultToken },
    signal: AbortSignal.timeout(5000),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Vault read ${path}: HTTP ${res.status}`);
  const body = (await res.json()) as { data: { data: Record<string, string> } };
  return Object.keys(body.data.data).sort();
}

const admin = () =>
  new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });

/** Tables in the public schema of a database on the local PostgreSQL (empty when it does not exist). */
export async function tablesOf(database: string): Promise<string[]> {
  const exists = admin();
  await exists.connect();
  try {
    const found = await exists.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [database],
    );
    if (found.rowCount === 0) return [];
  } finally {
    await exists.end();
  }
  const client = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    return rows.map(r => r.tablename);
  } finally {
    await client.end();
  }
}

/** Drops what the scenario's open-amt:database:init created. */
export async function dropDatabasesAndUsers(
  databases: string[],
  users: string[],
): Promise<void> {
  const client = admin();
  await client.connect();
  try {
    for (const db of databases)
      await client.query(
        `DROP DATABASE IF EXISTS ${escapeIdentifier(db)} WITH (FORCE)`,
      );
    for (const user of users)
      await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(user)}`);
  } finally {
    await client.end();
  }
}
