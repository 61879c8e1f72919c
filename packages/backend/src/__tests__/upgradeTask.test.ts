/*
 * Day 2 through the portal's REST API, as automation drives it (static token): a deployment scaffolded at v2.26.0
 * by the production template (its databases created on the local PostgreSQL) is "behind" on the open-amt API; the
 * upgrade template (demo variant: published back into the deployments folder) migrates its databases to v2.37.0,
 * re-renders it, and the catalog and the open-amt API then show it current.
 */
import {
  LATEST_TOOLKIT_RELEASE,
  OPEN_AMT_ANNOTATIONS,
  TOOLKIT_V2_26_0,
} from '@open-amt-backstage/plugin-open-amt-common';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { parseAllDocuments } from 'yaml';
import {
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  dropDatabasesWithPrefix,
  postgresReachable,
  repoRoot,
  RunningBackend,
  runTemplateTask,
  startBackend,
  token,
} from './helpers/startBackend';

jest.setTimeout(400_000);

const name = `oamt-upgrade-${process.pid}`;
const dbPrefix = `oamt_upg_${process.pid}`;
const publishDir = path.join(repoRoot, 'deployments');
const auth = { Authorization: `Bearer ${token}` };

let vault: VaultContractServer;
let backend: RunningBackend;

beforeAll(async () => {
  if (!(await postgresReachable()))
    throw new Error('this test needs the local PostgreSQL on 127.0.0.1:5432');
  vault = await startVaultServer();
  backend = await startBackend(['app-config.yaml'], {
    APP_CONFIG_openAmt_scaffolder_localPublishDir: publishDir,
  });
});

afterAll(async () => {
  await backend?.stop();
  await vault?.close();
  fs.rmSync(path.join(publishDir, name), { recursive: true, force: true });
  await dropDatabasesWithPrefix(dbPrefix).catch(() => {});
  const admin = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  for (const side of ['mps', 'rps'])
    await admin
      .query(`DROP ROLE IF EXISTS "${name.replace(/-/g, '_')}_${side}"`)
      .catch(() => {});
  await admin.end();
});

/** Polls a backend GET until `accept` holds for its JSON; fails with the last answer and the backend log. */
async function eventually<T>(
  what: string,
  url: string,
  accept: (body: T) => boolean,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await fetch(`${backend.baseUrl}${url}`, { headers: auth });
    last = res.ok ? await res.json() : res.status;
    if (res.ok && accept(last as T)) return last as T;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `${what}: never true; last answer ${JSON.stringify(
      last,
    )}\n${backend.log()}`,
  );
}

async function schemaVersions(database: string): Promise<string[]> {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
  await c.connect();
  try {
    const { rows } = await c.query(
      'SELECT toolkit_release FROM public.oamt_backstage_schema_version',
    );
    return rows.map(r => r.toolkit_release);
  } finally {
    await c.end();
  }
}

function publishedSystem(): any {
  const file = path.join(publishDir, name, 'catalog-info.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .find(e => e.kind === 'System');
}

it('scaffolds at v2.26.0, shows it behind, upgrades it, and shows it current', async () => {
  const older = TOOLKIT_V2_26_0.id;
  const newest = LATEST_TOOLKIT_RELEASE.id;
  expect(older).not.toBe(newest);
  await eventually(
    'the production template',
    '/api/catalog/entities/by-name/template/default/open-amt-production',
    () => true,
  );
  const created = await runTemplateTask(backend, {
    templateRef: 'template:default/open-amt-production',
    values: {
      name,
      owner: 'group:default/guests',
      environment: 'development',
      fqdn: 'mps.upgrade.example.com',
      target: 'compose',
      toolkitRelease: older,
      database: {
        provider: 'postgresql',
        host: '127.0.0.1',
        port: 5432,
        tlsMode: 'disable',
        adminUser: 'postgres',
        rpsDatabase: `${dbPrefix}_rps`,
        mpsDatabase: `${dbPrefix}_mps`,
      },
      initDatabase: true,
      databaseAdminPassword: '********',
      vaultToken: '********',
      secrets: {
        provider: 'vault',
        address: vault.url,
        mount: 'kv',
        pathPrefix: `open-amt/${name}`,
      },
      gateway: { provider: 'kong', publicHost: 'amt.upgrade.example.com' },
      publishTarget: 'open-amt:publish:local',
    },
    secrets: {
      vaultToken: vault.rootToken,
      databaseAdminPassword: 'trust-auth-ignores-it',
    },
  });
  if (created.status !== 'completed')
    throw new Error(`scaffolding ${created.status}:\n${created.log}`);
  expect(await schemaVersions(`${dbPrefix}_rps`)).toContain(older);
  expect(publishedSystem().metadata.annotations).toMatchObject({
    [OPEN_AMT_ANNOTATIONS.toolkitRelease]: older,
  });

  // Behind on the open-amt API once the catalog serves the System.
  await eventually<any>(
    'the deployment shown behind',
    `/api/open-amt/deployments/default/${name}`,
    d => d.drift?.behind === true && d.drift.release === older,
  );

  // The upgrade form's values (the password is a task secret), as the dry run and both runs send them.
  const upgradeRequest = {
    values: {
      deployment: `system:default/${name}`,
      targetRelease: newest,
      databaseAdminPassword: '********',
      publishTarget: 'open-amt:publish:local',
    },
    secrets: { databaseAdminPassword: 'trust-auth-ignores-it' },
  };

  // The dry run (as the template editor runs it): the plan — restart order, migration SQL, file changes — and no
  // change to the databases.
  const template = await eventually<any>(
    'the upgrade template',
    '/api/catalog/entities/by-name/template/default/open-amt-upgrade',
    () => true,
  );
  const dryRun = await fetch(`${backend.baseUrl}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      template,
      ...upgradeRequest,
      directoryContents: [],
    }),
  });
  const plan = await dryRun.json();
  if (dryRun.status !== 200)
    throw new Error(
      `dry-run answered ${dryRun.status}: ${JSON.stringify(plan)}`,
    );
  const planText = JSON.stringify(plan);
  expect(planText).toContain('Restart order');
  expect(planText).toContain('CREATE TABLE IF NOT EXISTS proxyconfigs');
  expect(planText).toContain('docker-compose.yml');
  expect(planText).not.toContain('trust-auth-ignores-it');
  expect(await schemaVersions(`${dbPrefix}_rps`)).not.toContain(newest);

  const upgraded = await runTemplateTask(backend, {
    templateRef: 'template:default/open-amt-upgrade',
    ...upgradeRequest,
  });
  if (upgraded.status !== 'completed')
    throw new Error(`upgrade ${upgraded.status}:\n${upgraded.log}`);
  expect(upgraded.log).not.toContain('trust-auth-ignores-it');

  // Migrated for real, re-rendered for the new release, and current in the catalog and on the open-amt API.
  for (const side of ['rps', 'mps'])
    expect(await schemaVersions(`${dbPrefix}_${side}`)).toContain(newest);
  const system = publishedSystem();
  expect(system.metadata.annotations[OPEN_AMT_ANNOTATIONS.toolkitRelease]).toBe(
    newest,
  );
  expect(
    JSON.parse(system.metadata.annotations[OPEN_AMT_ANNOTATIONS.deploymentSpec])
      .toolkitRelease,
  ).toBe(newest);
  await eventually<any>(
    'the catalog serving the upgraded System',
    `/api/catalog/entities/by-name/system/default/${name}`,
    e => e.metadata.annotations[OPEN_AMT_ANNOTATIONS.toolkitRelease] === newest,
  );
  await eventually<any>(
    'the deployment shown current',
    `/api/open-amt/deployments/default/${name}`,
    d => d.drift?.behind === false && d.drift.release === newest,
  );

  // A second upgrade to the same release is refused before any change.
  const again = await runTemplateTask(backend, {
    templateRef: 'template:default/open-amt-upgrade',
    ...upgradeRequest,
  });
  expect(again.status).toBe('failed');
  expect(again.log).toMatch(/targetRelease/);
});
