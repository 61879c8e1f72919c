/*
 * The template adopters register (templates/open-amt-production, loaded through the real catalog as is) run in a
 * portal that lacks the chosen publish action: this backend installs no GitHub scaffolder module. The task stops
 * at its first step, open-amt:preflight, with the sentence naming the action and its module, and provisions
 * nothing: no Vault writes on the stand-in, no databases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  databasesWithPrefix,
  dropDatabasesWithPrefix,
  postgresReachable,
  RunningBackend,
  runTemplateTask,
  startBackend,
  token,
} from './helpers/startBackend';

jest.setTimeout(300_000);

const name = `oamt-preflight-${process.pid}`;
const dbPrefix = `oamt_preflight_${process.pid}`;
const publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oamt-preflight-'));
const auth = {
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
};

let vault: VaultContractServer;
let backend: RunningBackend;

beforeAll(async () => {
  if (!(await postgresReachable()))
    throw new Error('this test needs the local PostgreSQL on 127.0.0.1:5432');
  vault = await startVaultServer();
  backend = await startBackend(['app-config.yaml'], {
    APP_CONFIG_openAmt_scaffolder_localPublishDir: publishDir,
    // Serve the adopters' templates as they are: no demo variants.
    APP_CONFIG_openAmt_demo_templateVariants: '[]',
  });
});

afterAll(async () => {
  await backend?.stop();
  await vault?.close();
  fs.rmSync(publishDir, { recursive: true, force: true });
  await dropDatabasesWithPrefix(dbPrefix).catch(() => {});
});

async function catalogEntity(ref: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/${ref}`,
      { headers: auth },
    );
    if (res.ok) return res.json();
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`the catalog never served ${ref}; log:\n${backend.log()}`);
}

it('stops at the first step when the chosen publish action is not installed, and provisions nothing', async () => {
  const template = await catalogEntity('template/default/open-amt-production');
  // The catalog served the adopters' template itself: a repository host to publish to, no local publishing.
  expect(template.spec.steps.map((s: any) => s.action)).toContain(
    'publish:github',
  );
  expect(JSON.stringify(template)).not.toContain('open-amt:publish:local');

  const { status, events, log } = await runTemplateTask(backend, {
    templateRef: 'template:default/open-amt-production',
    values: {
      name,
      owner: 'group:default/guests',
      environment: 'development',
      fqdn: 'mps.preflight.example.com',
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
      databaseAdminPassword: '********',
      vaultToken: '********',
      secrets: {
        provider: 'vault',
        address: vault.url,
        mount: 'kv',
        pathPrefix: `open-amt/${name}`,
      },
      gateway: { provider: 'kong', publicHost: 'amt.preflight.example.com' },
      publishTarget: 'publish:github',
      repoUrl: `github.com?owner=acme&repo=${name}`,
    },
    secrets: {
      vaultToken: vault.rootToken,
      databaseAdminPassword: 'trust-auth-ignores-it',
    },
  });
  expect(status).toBe('failed');
  // The failed step's log line is the sentence alone (no error class, no stack trace).
  const failed = events.find(e => e.body?.status === 'failed');
  expect(failed?.body).toMatchObject({
    stepId: 'preflight',
    message:
      "This portal's scaffolder does not have the action publish:github (install @backstage/plugin-scaffolder-backend-module-github) that this template calls; add it to the backend and run the template again (nothing was provisioned).",
  });
  expect(log).not.toMatch(/\n\s+at /);
  // Only the preflight step ran; the scaffolder skipped every later one.
  const started = events
    .filter(e => e.body?.status === 'processing')
    .map(e => e.body.stepId);
  expect(started).toEqual(['preflight']);
  const skipped = events
    .filter(e => e.body?.status === 'skipped')
    .map(e => e.body.stepId);
  expect(skipped).toEqual(template.spec.steps.slice(1).map((s: any) => s.id));
  expect(Object.keys(vault.state.kv)).toEqual([]);
  expect(await databasesWithPrefix(dbPrefix)).toEqual([]);
  expect(fs.readdirSync(publishDir)).toEqual([]);
});
