/*
 * Boots the portal backend for real, as `npm start` does (same entry point and config files), and checks over
 * HTTP that it serves this repository's entities and the Open AMT health route. SQLite always; the local
 * PostgreSQL too (required when CI is set, skipped otherwise if it is not reachable).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  dropDatabasesWithPrefix,
  postgresReachable,
  repoRoot as root,
  RunningBackend,
  startBackend,
  token,
} from './helpers/startBackend';

jest.setTimeout(240_000);

const expectedEntities = parseAllDocuments(
  fs.readFileSync(path.join(root, 'catalog-info.yaml'), 'utf8'),
).map(d => {
  const e = d.toJSON();
  return `${e.kind.toLowerCase()}/default/${e.metadata.name}`;
});

async function expectCatalogServes(backend: RunningBackend) {
  const missing = new Set(expectedEntities);
  const deadline = Date.now() + 60_000;
  while (missing.size > 0 && Date.now() < deadline) {
    for (const ref of [...missing]) {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/${ref}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      if (res.ok) missing.delete(ref);
    }
    if (missing.size > 0) await new Promise(r => setTimeout(r, 1000));
  }
  if (missing.size > 0) {
    throw new Error(
      `catalog never served ${[...missing].join(
        ', ',
      )}; backend log:\n${backend.log()}`,
    );
  }
}

async function expectHealthAndAuth(backend: RunningBackend) {
  const health = await fetch(`${backend.baseUrl}/api/open-amt/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual(
    expect.objectContaining({ status: 'ok' }),
  );
  // The catalog is not open to anonymous callers: the token above is what made the reads work.
  const anonymous = await fetch(
    `${backend.baseUrl}/api/catalog/entities/by-name/${expectedEntities[0]}`,
  );
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
      if (process.env.CI)
        throw new Error('PostgreSQL on 127.0.0.1:5432 is required in CI');
      console.warn('skipped: no PostgreSQL on 127.0.0.1:5432');
      return;
    }
    const prefix = `oamt_smoke_${process.pid}_`;
    const backend = await startBackend(
      ['app-config.yaml', 'app-config.production.yaml'],
      {
        POSTGRES_HOST: '127.0.0.1',
        POSTGRES_PORT: '5432',
        POSTGRES_USER: 'postgres',
        POSTGRES_PASSWORD: 'unused-with-trust-auth',
        APP_CONFIG_backend_database_prefix: prefix,
      },
    );
    try {
      await expectHealthAndAuth(backend);
      await expectCatalogServes(backend);
    } finally {
      await backend.stop();
      await dropDatabasesWithPrefix(prefix);
    }
  });
});
