/*
 * Starts the portal backend for real, as `npm start` does (same entry point, config files and transpiler),
 * on a free port, and stops it. Used by the backend's integration tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from '@open-amt-backstage/plugin-open-amt-test-utils';
import path from 'node:path';
import { Client } from 'pg';

// Test code that always runs from source, never from a production bundle.
// eslint-disable-next-line no-restricted-syntax
export const backendDir = path.resolve(__dirname, '../../..');
export const repoRoot = path.resolve(backendDir, '../..');
export const token = 'integration-test-token-0123456789abcdef';

export async function postgresReachable(): Promise<boolean> {
  const client = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface RunningBackend {
  baseUrl: string;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startBackend(
  configFiles: string[],
  env: Record<string, string>,
): Promise<RunningBackend> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...configFiles.flatMap(f => ['--config', path.resolve(repoRoot, f)]),
    ],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        OPEN_AMT_PORTAL_TOKEN: token,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        // The demo stand-in stack listens on fixed ports; tests that run in parallel must not start it.
        APP_CONFIG_openAmt_demo_standInStack: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  const log = () => output.join('').slice(-60_000);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with ${
          child.exitCode
        } before answering; log:\n${log()}`,
      );
    }
    const res = await fetch(`${baseUrl}/api/open-amt/health`).catch(
      () => undefined,
    );
    if (res?.ok) return { baseUrl, log, stop };
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `backend did not answer /api/open-amt/health within 150 s; log:\n${log()}`,
  );
}

/** The databases on the local PostgreSQL whose names start with `prefix`. */
export async function databasesWithPrefix(prefix: string): Promise<string[]> {
  const admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    return rows.map(r => r.datname);
  } finally {
    await admin.end();
  }
}

/** Drops the databases a PostgreSQL-backed run created under `prefix`. */
export async function dropDatabasesWithPrefix(prefix: string): Promise<void> {
  const names = await databasesWithPrefix(prefix);
  const admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    for (const datname of names)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A task's settled status and its events, started from `templateRef` through the scaffolder's REST API. */
export async function runTemplateTask(
  backend: RunningBackend,
  body: { templateRef: string; values: unknown; secrets: unknown },
): Promise<{ status: string; events: any[]; log: string }> {
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const created = await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (created.status !== 201)
    throw new Error(
      `task not created: ${created.status} ${await created.text()}`,
    );
  const { id } = await created.json();
  let status = 'open';
  const deadline = Date.now() + 180_000;
  while (
    !['completed', 'failed', 'cancelled'].includes(status) &&
    Date.now() < deadline
  ) {
    await new Promise(r => setTimeout(r, 1000));
    const task = await (
      await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks/${id}`, {
        headers,
      })
    ).json();
    status = task.status;
  }
  const events: any[] = await (
    await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks/${id}/events`, {
      headers,
    })
  ).json();
  const log = events.map(e => e.body?.message ?? '').join('\n');
  return { status, events, log };
}
