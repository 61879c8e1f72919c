/*
 * Boots the portal backend for real, as `npm start` does (same entry point and config files), and checks over
 * HTTP that it serves this repository's entities and the Open AMT health route. SQLite always; the local
 * PostgreSQL too (required when CI is set, skipped otherwise if it is not reachable).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Client } from 'pg';

jest.setTimeout(240_000);

const backendDir = path.resolve(__dirname, '../..');
const root = path.resolve(backendDir, '../..');
const token = 'smoke-test-token-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function postgresReachable(): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

interface RunningBackend {
  baseUrl: string;
  log: () => string;
  stop: () => Promise<void>;
}

async function startBackend(configFiles: string[], env: Record<string, string>): Promise<RunningBackend> {
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
      ...configFiles.flatMap(f => ['--config', path.join(root, f)]),
    ],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        OPEN_AMT_PORTAL_TOKEN: token,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => output.push(String(d)));
  child.stderr!.on('data', d => output.push(String(d)));
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  const log = () => output.join('').slice(-20_000);
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
      throw new Error(`backend exited with ${child.exitCode} before answering; log:\n${log()}`);
    }
    const res = await fetch(`${baseUrl}/api/open-amt/health`).catch(() => undefined);
    if (res?.ok) return { baseUrl, log, stop };
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`backend did not answer /api/open-amt/health within 150 s; log:\n${log()}`);
}

const expectedEntities = parseAllDocuments(fs.readFileSync(path.join(root, 'catalog-info.yaml'), 'utf8')).map(d => {
  const e = d.toJSON();
  return `${e.kind.toLowerCase()}/default/${e.metadata.name}`;
});

async function expectCatalogServes(backend: RunningBackend) {
  const missing = new Set(expectedEntities);
  const deadline = Date.now() + 60_000;
  while (missing.size > 0 && Date.now() < deadline) {
    for (const ref of [...missing]) {
      const res = await fetch(`${backend.baseUrl}/api/catalog/entities/by-name/${ref}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (res.ok) missing.delete(ref);
    }
    if (missing.size > 0) await new Promise(r => setTimeout(r, 1000));
  }
  if (missing.size > 0) {
    throw new Error(`catalog never served ${[...missing].join(', ')}; backend log:\n${backend.log()}`);
  }
}

async function expectHealthAndAuth(backend: RunningBackend) {
  const health = await fetch(`${backend.baseUrl}/api/open-amt/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual(expect.objectContaining({ status: 'ok' }));
  // The catalog is not open to anonymous callers: the token above is what made the reads work.
  const anonymous = await fetch(`${backend.baseUrl}/api/catalog/entities/by-name/${expectedEntities[0]}`);
  expect(anonymous.status).toBe(401);
}

describe('portal backend', () => {
  it('starts on the embedded SQLite and serves the catalog and /api/open-amt/health', async () => {
    const backend = await startBackend(['app-config.yaml'], {});
    try {
      await expectHealthAndAuth(backend);
      await expectCatalogServes(backend);
    } finally {
      await backend.stop();
    }
  });

  it('starts on the local PostgreSQL with app-config.production.yaml', async () => {
    if (!(await postgresReachable())) {
      if (process.env.CI) throw new Error('PostgreSQL on 127.0.0.1:5432 is required in CI');
      console.warn('skipped: no PostgreSQL on 127.0.0.1:5432');
      return;
    }
    const prefix = `oamt_smoke_${process.pid}_`;
    const backend = await startBackend(['app-config.yaml', 'app-config.production.yaml'], {
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: 'unused-with-trust-auth',
      APP_CONFIG_backend_database_prefix: prefix,
    });
    try {
      await expectHealthAndAuth(backend);
      await expectCatalogServes(backend);
    } finally {
      await backend.stop();
      const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
      await admin.connect();
      const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
