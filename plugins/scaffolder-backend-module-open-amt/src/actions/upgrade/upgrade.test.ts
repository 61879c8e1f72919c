/**
 * open-amt:deployment:upgrade against the real local PostgreSQL (127.0.0.1:5432, trust) and MariaDB (127.0.0.1:3306,
 * root without password): a deployment rendered at v2.26.0, whose databases the adapter created at v2.26.0, is read
 * from a catalog holding its rendered System and upgraded to v2.37.0. Databases and users carry the process id and
 * are dropped afterwards.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentSpecInput,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  closeIdleProbeConnections,
  DatabaseTarget,
} from '@open-amt-backstage/plugin-open-amt-node';
import { existsSync, readdirSync, readFileSync } from 'fs';
import mariadb from 'mariadb';
import { join } from 'path';
import { Client } from 'pg';
import { parseAllDocuments } from 'yaml';
import {
  actionContext,
  CheckpointStore,
} from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { renderDeployment } from '../../render';
import { databaseRendererOf } from '../../render/providers';
import { parseSpecInput } from '../specInput';
import { createUpgradeDeploymentAction } from './upgrade';

jest.setTimeout(180_000);
const pid = process.pid;
const FROM = 'v2.26.0';
const ADMIN_SECRET = `Upgrade-Admin-${pid}-Secret`;
const TO = 'v2.37.0';
type Engine = 'postgresql' | 'mariadb';

const kitBundle = async (b: { service: string; name: string }) =>
  Buffer.from(`export default class {} // ${b.service} ${b.name}\n`);

function specOf(
  engine: Engine,
  tag: string,
  over: Partial<DeploymentSpecInput> = {},
): DeploymentSpecInput {
  return specFor(
    { database: engine, secrets: 'vault', gateway: 'kong', target: 'compose' },
    {
      name: `oamt-up-${tag}-${pid}`,
      environment: 'development',
      toolkitRelease: FROM,
      database: {
        provider: engine,
        host: '127.0.0.1',
        port: engine === 'postgresql' ? 5432 : 3306,
        tlsMode: 'disable',
        adminUser: engine === 'postgresql' ? 'postgres' : 'root',
        rpsDatabase: `oamt_up_rps_${tag}_${pid}`,
        mpsDatabase: `oamt_up_mps_${tag}_${pid}`,
      },
      ...over,
    } as any,
  );
}

/** The System the rendered catalog-info.yaml declares (what the catalog holds after the first publish). */
function systemOf(input: DeploymentSpecInput): Entity {
  const files = renderDeployment(parseDeploymentSpec(input));
  const info = files.find(f => f.path === 'catalog-info.yaml')!;
  return parseAllDocuments(info.content)
    .map(d => d.toJS())
    .find(e => e.kind === 'System');
}

const admin = (engine: string) =>
  engine === 'postgresql'
    ? { user: 'postgres', password: 'unused-with-trust' }
    : { user: 'root', password: '' };

const used: { engine: Engine; target: DatabaseTarget; users: string[] }[] = [];

/** Creates the deployment's databases at v2.26.0 with the adapter open-amt:database:init uses. */
async function createDatabases(input: DeploymentSpecInput, tag: string) {
  const spec = parseSpecInput(input);
  const renderer = databaseRendererOf(spec);
  const target: DatabaseTarget = {
    host: '127.0.0.1',
    port: spec.database.port!,
    tlsMode: 'disable',
    rpsDatabase: spec.database.rpsDatabase,
    mpsDatabase: spec.database.mpsDatabase,
    toolkitRelease: FROM,
  };
  const users = {
    rps: { user: `oamt_up_r_${tag}_${pid}`, password: 'Rps-Pass-One-1x' },
    mps: { user: `oamt_up_m_${tag}_${pid}`, password: 'Mps-Pass-One-1x' },
  };
  used.push({
    engine: spec.database.provider as Engine,
    target,
    users: [users.rps.user, users.mps.user],
  });
  await renderer.adapter.initialize(
    target,
    admin(spec.database.provider),
    users,
  );
  return { target, adapter: renderer.adapter };
}

async function versions(input: DeploymentSpecInput, target: DatabaseTarget) {
  const spec = parseSpecInput(input);
  const found = await databaseRendererOf(spec).adapter.detectSchemaVersion!(
    target,
    admin(spec.database.provider),
  );
  return { rps: found.rps.release, mps: found.mps.release };
}

async function pg(sql: string) {
  const c = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function listFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(e => e.isFile())
        .map(e => e.name)
    : [];
}

function upgradeAction(entities: Entity[]) {
  return createUpgradeDeploymentAction({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    kitBundle,
  });
}

afterAll(async () => {
  for (const { engine, target, users } of used) {
    if (engine === 'postgresql') {
      for (const db of [target.rpsDatabase, target.mpsDatabase])
        await pg(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      for (const u of users) await pg(`DROP ROLE IF EXISTS "${u}"`);
    } else {
      const c = await mariadb.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
      });
      for (const db of [target.rpsDatabase, target.mpsDatabase])
        await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
      for (const u of users) await c.query(`DROP USER IF EXISTS '${u}'@'%'`);
      await c.end();
    }
  }
  closeIdleProbeConnections();
});

describe.each(['postgresql', 'mariadb'] as const)(
  'open-amt:deployment:upgrade on %s',
  engine => {
    const tag = engine === 'postgresql' ? 'pg' : 'ma';
    const input = specOf(engine, tag);
    const system = systemOf(input);
    const ref = `system:default/${input.name}`;
    let target: DatabaseTarget;
    beforeAll(async () => {
      ({ target } = await createDatabases(input, tag));
    });

    it('in a dry run reports the plan and changes nothing: schema version and workspace stay', async () => {
      const { ctx, outputs } = actionContext({
        input: { entityRef: ref, targetRelease: TO },
        isDryRun: true,
      });
      await upgradeAction([system]).handler(ctx as any);
      expect(outputs.fromRelease).toBe(FROM);
      expect(outputs.toRelease).toBe(TO);
      expect(outputs.files).toEqual([]);
      expect(listFiles(ctx.workspacePath)).toEqual([]);
      expect(await versions(input, target)).toEqual({ rps: FROM, mps: FROM });
      const description = outputs.description as string;
      expect(description).toContain(`${FROM} → ${TO}`);
      expect(description).toContain('uefi_wifi_sync_enabled');
      expect(description).toContain('changed docker-compose.yml');
      // MPS restarts before the web UI, and the migration comes before both.
      const order = ['Schema migration', '. mps:', '. rps:', '. webui:'].map(
        s => description.indexOf(s),
      );
      expect(order.every(i => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });

    it('migrates the databases, records the version and writes the files the plan named', async () => {
      const { ctx, outputs } = actionContext({
        input: { entityRef: ref, targetRelease: TO },
        secrets: { databaseAdminPassword: admin(engine).password },
      });
      await upgradeAction([system]).handler(ctx as any);
      expect(await versions(input, target)).toEqual({ rps: TO, mps: TO });
      expect(outputs.migrationSteps).toEqual(
        expect.arrayContaining([
          `${FROM} → ${TO} rps: add column profiles.uefi_wifi_sync_enabled: applied`,
        ]),
      );
      const before = renderDeployment(parseSpecInput(input));
      const after = renderDeployment(
        parseSpecInput({ ...input, toolkitRelease: TO }),
      );
      const changed = outputs.fileChanges as string[];
      expect(changed.length).toBeGreaterThan(0);
      for (const line of changed) {
        const path = line.replace(/^\w+ /, '');
        const written = readFileSync(join(ctx.workspacePath, path), 'utf8');
        expect(written).toBe(after.find(f => f.path === path)!.content);
        expect(written).not.toBe(before.find(f => f.path === path)?.content);
      }
      expect(
        readFileSync(join(ctx.workspacePath, 'catalog-info.yaml'), 'utf8'),
      ).toContain(`open-amt.io/toolkit-release: ${TO}`);
      expect(outputs.branchName).toBe(`open-amt-upgrade/${input.name}-${TO}`);
      // The deployment now runs v2.37.0: upgrading it again to the same release is refused.
      const again = actionContext({
        input: { entityRef: ref, targetRelease: TO },
      });
      await expect(
        upgradeAction([systemOf({ ...input, toolkitRelease: TO })]).handler(
          again.ctx as any,
        ),
      ).rejects.toThrow(/Target release \(targetRelease\).*already runs/);
    });
  },
);

describe('open-amt:deployment:upgrade refusals', () => {
  const input = specOf('postgresql', 'refuse');
  const ref = `system:default/${input.name}`;
  const run = async (entities: Entity[], targetRelease: string) => {
    const { ctx } = actionContext({
      input: { entityRef: ref, targetRelease },
      secrets: { databaseAdminPassword: 'x' },
    });
    await upgradeAction(entities)
      .handler(ctx as any)
      .finally(() => expect(listFiles(ctx.workspacePath)).toEqual([]));
  };

  it('refuses a downgrade, the same release and an unknown one, naming the field', async () => {
    const atNewest = systemOf({ ...input, toolkitRelease: TO });
    await expect(run([atNewest], FROM)).rejects.toThrow(
      /^Target release \(targetRelease\): v2\.26\.0 is older than v2\.37\.0.*downgrades are not supported/,
    );
    await expect(run([atNewest], TO)).rejects.toThrow(
      /^Target release \(targetRelease\): the deployment already runs v2\.37\.0/,
    );
    await expect(run([systemOf(input)], 'v9.9.9')).rejects.toThrow(
      /^Target release \(targetRelease\): v9\.9\.9 is not a toolkit release this portal supports/,
    );
  });

  it('refuses an entity without a recorded spec, and one not in the catalog', async () => {
    const bare = systemOf(input);
    delete bare.metadata.annotations!['open-amt.io/deployment-spec'];
    await expect(run([bare], TO)).rejects.toThrow(
      /^Deployment \(entityRef\): .*has no open-amt\.io\/deployment-spec annotation/,
    );
    await expect(run([], TO)).rejects.toThrow(
      /^Deployment \(entityRef\): system:default\/.* is not in the catalog/,
    );
  });

  it('keeps an image the deployment pinned, and says so', async () => {
    const pinned = 'registry.example.com/own/webui:7.0.0';
    const { ctx, outputs } = actionContext({
      input: { entityRef: ref, targetRelease: TO },
      isDryRun: true,
    });
    await upgradeAction([
      systemOf({ ...input, images: { webui: pinned } }),
    ]).handler(ctx as any);
    expect(outputs.warnings).toEqual([
      expect.stringMatching(
        /^images\.webui: kept registry\.example\.com\/own\/webui:7\.0\.0/,
      ),
    ]);
    const description = outputs.description as string;
    // The default images move to the new release; the pinned one does not.
    const line = (part: string) =>
      description.split('\n').find(l => l.includes(`. ${part}: `)) ?? '';
    expect(line('mps')).toMatch(
      /restart — image intel\/oact-mps:v2\.13\.21 → intel\/device-mgmt-toolkit-mps:v2\.34\.1/,
    );
    expect(line('webui')).not.toContain('image ');
    expect(line('webui')).toContain(' — ');
  });
});

describe('open-amt:deployment:upgrade after a failure mid-migration', () => {
  const input = specOf('postgresql', 'fail');
  const ref = `system:default/${input.name}`;
  it('leaves the step that failed to the re-run, which completes', async () => {
    const { target } = await createDatabases(input, 'fail');
    const checkpoints = new CheckpointStore();
    const attempt = () =>
      actionContext({
        input: { entityRef: ref, targetRelease: TO },
        // PostgreSQL trusts local logins: any value works, so a distinctive one can be looked for.
        secrets: { databaseAdminPassword: ADMIN_SECRET },
        checkpoints,
      });
    // The mps database refuses connections: rps is migrated, mps is not.
    await pg(`ALTER DATABASE "${target.mpsDatabase}" ALLOW_CONNECTIONS false`);
    const first = attempt();
    try {
      await expect(
        upgradeAction([systemOf(input)]).handler(first.ctx as any),
      ).rejects.toThrow(/not currently accepting connections/);
    } finally {
      await pg(`ALTER DATABASE "${target.mpsDatabase}" ALLOW_CONNECTIONS true`);
    }
    expect(listFiles(first.ctx.workspacePath)).toEqual([]);
    expect(checkpoints.results.size).toBe(0);
    const second = attempt();
    await upgradeAction([systemOf(input)]).handler(second.ctx as any);
    expect(await versions(input, target)).toEqual({ rps: TO, mps: TO });
    expect(checkpoints.results.size).toBe(1);
    expect(listFiles(second.ctx.workspacePath)).toContain('catalog-info.yaml');
    // The administrator password is in no output, log line or written file.
    const written = readdirSync(second.ctx.workspacePath, {
      recursive: true,
      withFileTypes: true,
    })
      .filter(e => e.isFile())
      .map(e => readFileSync(join(e.parentPath, e.name), 'utf8'));
    for (const seen of [
      JSON.stringify(second.outputs),
      ...first.logLines,
      ...second.logLines,
      ...written,
    ])
      expect(seen).not.toContain(ADMIN_SECRET);
    expect(second.outputs.description).toBeTruthy();
  });
});
