/*
 * The demo portal's template (templates/open-amt-production with the demo's publish step, as the catalog serves
 * it) through the portal's scaffolder REST API, as automation uses it (static token): a dry run returns the
 * rendered repository; a real task renders, provisions the secrets into Vault (contract server,
 * driven by node-vault), initialises the schema on the local PostgreSQL, publishes into the portal's
 * deployments folder, and the catalog then serves the new System.
 */
import {
  changeFormDataOf,
  PROBE_BINDING_KEYS,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Client } from 'pg';
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

jest.setTimeout(300_000);

const name = `oamt-rest-${process.pid}`;
const dbPrefix = `oamt_rest_${process.pid}`;
const publishDir = path.join(repoRoot, 'deployments');
const auth = {
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
};

let vault: VaultContractServer;
let backend: RunningBackend;

function values() {
  return {
    name,
    owner: 'group:default/guests',
    environment: 'development',
    fqdn: 'mps.rest.example.com',
    target: 'compose',
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
    // Secret fields carry a mask in the values (as the form's Secret field does); the value goes in `secrets`.
    databaseAdminPassword: '********',
    vaultToken: '********',
    secrets: {
      provider: 'vault',
      address: vault.url,
      mount: 'kv',
      pathPrefix: `open-amt/${name}`,
    },
    gateway: { provider: 'kong', publicHost: 'amt.rest.example.com' },
    publishTarget: 'open-amt:publish:local',
  };
}
const secrets = () => ({
  vaultToken: vault.rootToken,
  databaseAdminPassword: 'trust-auth-ignores-it',
});

beforeAll(async () => {
  if (!(await postgresReachable()))
    throw new Error('this test needs the local PostgreSQL on 127.0.0.1:5432');
  vault = await startVaultServer();
  backend = await startBackend(['app-config.yaml'], {
    APP_CONFIG_openAmt_scaffolder_localPublishDir: publishDir,
    // Vault of this test on an ephemeral loopback port (allowed by the default allowedHosts).
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
  for (const role of [
    `${name.replace(/-/g, '_')}_mps`,
    `${name.replace(/-/g, '_')}_rps`,
  ]) {
    await admin.query(`DROP ROLE IF EXISTS "${role}"`).catch(() => {});
  }
  await admin.end();
});

/** Starts a task from the template through the REST API and waits until it settles. */
function runTask(
  taskValues: Record<string, unknown>,
  taskSecrets: Record<string, string>,
): Promise<{ status: string; log: string }> {
  return runTemplateTask(backend, {
    templateRef: 'template:default/open-amt-production',
    values: taskValues,
    secrets: taskSecrets,
  });
}

it('serves the demo variant of the template: published locally, no repository host', async () => {
  const template = await waitForEntity('template/default/open-amt-production');
  const actions = template.spec.steps.map((s: any) => s.action);
  expect(actions).toEqual([
    'open-amt:preflight',
    'open-amt:deployment:render',
    'open-amt:deployment:diff',
    'open-amt:database:init',
    'open-amt:secrets:provision',
    'open-amt:database:init',
    'open-amt:publish:local',
  ]);
  // The form is the adopters' template's, up to its Repository page.
  const adopters = parse(
    fs.readFileSync(
      path.join(repoRoot, 'templates/open-amt-production/template.yaml'),
      'utf8',
    ),
  );
  expect(template.spec.parameters.slice(0, -1)).toEqual(
    adopters.spec.parameters.slice(0, -1),
  );
  expect(template.spec.parameters.at(-1).properties.publishTarget.enum).toEqual(
    ['open-amt:publish:local'],
  );
});

it('dry-runs the template and returns the rendered repository without touching the store', async () => {
  const template = await waitForEntity('template/default/open-amt-production');
  const res = await fetch(`${backend.baseUrl}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      template,
      values: values(),
      secrets: secrets(),
      directoryContents: [],
    }),
  });
  const body = await res.json();
  if (res.status !== 200)
    throw new Error(`dry-run answered ${res.status}: ${JSON.stringify(body)}`);
  const files = (body.directoryContents as { path: string }[]).map(f => f.path);
  expect(files).toEqual(
    expect.arrayContaining([
      'README.md',
      'catalog-info.yaml',
      'docker-compose.yml',
      // TechDocs: the runbook on the entity page.
      'mkdocs.yml',
      'docs/index.md',
    ]),
  );
  const catalogInfo = Buffer.from(
    body.directoryContents.find((f: any) => f.path === 'catalog-info.yaml')
      .base64Content,
    'base64',
  ).toString();
  expect(catalogInfo).toContain(`name: ${name}`);
  expect(Object.keys(vault.state.kv)).toEqual([]);
});

it('runs a real task: render, provision, init, publish, and the catalog shows the System', async () => {
  await waitForEntity('template/default/open-amt-production');
  const { status, log } = await runTask(values(), secrets());
  if (status !== 'completed')
    throw new Error(
      `task ${status}; log:\n${log}\n--- backend ---\n${backend.log()}`,
    );

  // Secrets are in the store, and nowhere in the task log or the published files.
  const stored = Object.entries(vault.state.kv).filter(([key]) =>
    key.startsWith(`kv/open-amt/${name}/`),
  );
  expect(stored.length).toBeGreaterThan(0);
  // Public parts of an entry (user names, the JWT issuer key, the algorithm, the probe entry's binding) are not secrets.
  const notSecret = new Set([
    'key',
    'algorithm',
    'user',
    'mpsUser',
    'dbUser',
    ...Object.values(PROBE_BINDING_KEYS),
  ]);
  const values_ = stored.flatMap(([, entry]) =>
    Object.entries(
      entry.versions[entry.versions.length - 1].data as Record<string, string>,
    )
      .filter(([k]) => !notSecret.has(k))
      .map(([, v]) => v),
  );
  expect(values_.length).toBeGreaterThanOrEqual(6);
  const published = path.join(publishDir, name);
  const publishedText = fs
    .readdirSync(published, { recursive: true, withFileTypes: true })
    .filter(d => d.isFile())
    .map(d => fs.readFileSync(path.join(d.parentPath, d.name), 'utf8'))
    .join('\n');
  for (const secret of values_.filter(v => v.length >= 12)) {
    expect(log).not.toContain(secret);
    expect(publishedText).not.toContain(secret);
  }

  // The schema is on the local PostgreSQL.
  const rps = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: `${dbPrefix}_rps`,
  });
  await rps.connect();
  const { rows } = await rps.query(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  await rps.end();
  expect(rows[0].n).toBeGreaterThanOrEqual(6);

  // The catalog picks the published System up.
  await waitForEntity(`system/default/${name}`);
});

/** The catalog processes its locations after start-up: wait for an entity to be served, and return it. */
async function waitForEntity(ref: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/${ref}`,
      { headers: auth },
    );
    if (res.ok) return res.json();
    await new Promise(r => setTimeout(r, 1000));
  }
  const log = backend
    .log()
    .split('\n')
    .filter(l => !l.includes('rootHttpRouter'))
    .join('\n');
  throw new Error(
    `the catalog never served ${ref}; backend log without requests:\n${log}`,
  );
}

it('refuses a database login the server rejects before any secret is written', async () => {
  await waitForEntity('template/default/open-amt-production');
  const refused = `${name}-badlogin`;
  const v = values();
  const { status, log } = await runTask(
    {
      ...v,
      name: refused,
      database: { ...v.database, adminUser: `oamt_nobody_${process.pid}` },
      secrets: { ...v.secrets, pathPrefix: `open-amt/${refused}` },
    },
    secrets(),
  );
  expect(status).toBe('failed');
  expect(log).toMatch(
    /Administrator user or password .*refused the login of oamt_nobody_\d+/,
  );
  expect(
    Object.keys(vault.state.kv).filter(key => key.includes(refused)),
  ).toEqual([]);
});

it('refuses to scaffold a deployment whose name the catalog already has, before any change', async () => {
  // The System the real task above published.
  await waitForEntity(`system/default/${name}`);
  const versions = () =>
    Object.values(vault.state.kv).reduce(
      (n, entry) => n + entry.versions.length,
      0,
    );
  const before = versions();
  const { status, log } = await runTask(values(), secrets());
  expect(status).toBe('failed');
  expect(log).toContain(
    `A deployment named ${name} exists already (system:default/${name}); choose another name: this template creates new deployments (nothing was provisioned).`,
  );
  expect(versions()).toBe(before);
});

it('changes the deployment from its recorded spec: the diff, then the folder replaced; an immutable field refused before any change', async () => {
  // The System the real task above published, and the form "Change this deployment" opens from it.
  const system = await waitForEntity(`system/default/${name}`);
  const ref = `system:default/${name}`;
  const form = changeFormDataOf(ref, recordedSpecOf(system));
  const changeValues = {
    ...form,
    description: 'changed through the change path',
    replicas: { ...form.replicas, mps: 3 },
    vaultToken: '********',
    publishTarget: 'open-amt:publish:local',
  };
  const versions = () =>
    Object.values(vault.state.kv).reduce(
      (n, entry) => n + entry.versions.length,
      0,
    );

  const before = versions();
  const refused = await runTask(
    { ...changeValues, fqdn: 'mps2.rest.example.com' },
    secrets(),
  );
  expect(refused.status).toBe('failed');
  expect(refused.log).toContain('MPS FQDN (spec.fqdn) cannot change in place');
  expect(versions()).toBe(before);

  const { status, log } = await runTask(changeValues, secrets());
  if (status !== 'completed') throw new Error(`task ${status}; log:\n${log}`);
  expect(log).toContain('changed catalog-info.yaml');
  // Provisioning is idempotent: the existing entries stay as they are (rotate unchecked).
  expect(versions()).toBe(before);
  const catalogInfo = fs.readFileSync(
    path.join(publishDir, name, 'catalog-info.yaml'),
    'utf8',
  );
  expect(catalogInfo).toContain('changed through the change path');
  expect(
    fs.readdirSync(publishDir).filter(d => d.startsWith(`.${name}.`)),
  ).toEqual([]);
});
