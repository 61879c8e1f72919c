/*
 * The engine on the real local PostgreSQL: its own store failing mid-sweep, and two backend instances
 * sharing one database with the real TaskScheduler. Runs when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (.ci/run sets it); skipped otherwise.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import { createTestEngine } from '../../__testUtils__/testEngine';
import { openAmtPlugin } from '../../plugin';
import { loggedLines } from '../../__testUtils__/loggedLines';

jest.setTimeout(90_000);

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const describeWithPostgres = process.env[PG_ENV] ? describe : describe.skip;
const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});

async function databaseNameOf(knex: Knex): Promise<string> {
  const { rows } = await knex.raw('SELECT current_database() AS name');
  return rows[0].name;
}

describeWithPostgres('HealthEngine on PostgreSQL', () => {
  let vault: VaultContractServer;
  const deployments: ContractDeployment[] = [];

  beforeAll(async () => {
    vault = await startVaultServer();
  });
  afterAll(async () => {
    await Promise.all(deployments.map(d => d.close()));
    await vault.close();
  });

  it('survives its database connections being killed during a sweep; the next sweep records again', async () => {
    const fleet = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        startContractDeployment({
          name: `pg-kill-${i}`,
          vault,
          latencyMs: 30 * (i + 1),
        }),
      ),
    );
    deployments.push(...fleet);
    const knex = await databases.init('POSTGRES_15');
    const name = await databaseNameOf(knex);
    const { engine, store, logger } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: fleet.map(d => d.entity),
    });
    await engine.sweep();
    const before = await store.listFleet({ pageSize: 50 });
    expect(before.items.every(i => i.checkedAt)).toBe(true);

    // Kill every connection of the plugin's database while the sweep is storing results (the later
    // deployments answer after up to 300 ms, so their records land after the kill).
    const admin = knexFactory({
      client: 'pg',
      connection: process.env[PG_ENV],
    });
    const sweep = engine.sweep();
    await new Promise(r => setTimeout(r, 120));
    const killed = await admin.raw(
      'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
      [name],
    );
    await admin.destroy();
    expect(killed.rows.length).toBeGreaterThan(0);
    const report = await sweep; // no crash: the sweep settles
    expect(report.deployments).toBe(10);

    const next = await engine.sweep();
    expect(next.storeFailures).toBe(0);
    const after = await store.listFleet({ pageSize: 50 });
    for (const item of after.items) {
      const previous = before.items.find(i => i.entityRef === item.entityRef)!;
      expect(Date.parse(item.checkedAt!)).toBeGreaterThan(
        Date.parse(previous.checkedAt!),
      );
    }
    // Every result that could not be stored was reported in the log.
    const reported = loggedLines(logger).filter(l =>
      /Storing the health of .* failed/.test(l),
    ).length;
    expect(reported).toBe(report.storeFailures);
  });

  it('two backend instances on one database probe each deployment once per interval', async () => {
    const d = await startContractDeployment({
      name: 'pg-two-instances',
      vault,
    });
    deployments.push(d);
    const knexA = await databases.init('POSTGRES_15');
    const knexB = knexFactory({
      client: 'pg',
      connection: { ...(knexA.client.config.connection as object) },
      pool: { min: 0, max: 5 },
    });
    const intervalSeconds = 2;
    const instance = (knex: Knex) =>
      startTestBackend({
        features: [
          openAmtPlugin,
          schedulerServiceFactory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              openAmt: {
                health: {
                  intervalSeconds,
                  jitterMs: 0,
                  timeoutMs: 1500,
                  allowedHosts: ['127.0.0.1'],
                },
              },
            },
          }),
          catalogServiceMock.factory({ entities: [d.entity] }),
        ],
      });
    // One after the other: Backstage's scheduler runs its own knex migrations at start-up without waiting for a lock
    // another instance holds (our store's migrations do wait: migrate.test.ts starts four at once).
    const a = await instance(knexA);
    const b = await instance(knexB);
    const started = Date.now();
    await new Promise(r => setTimeout(r, 9_000));
    await Promise.all([a.stop(), b.stop()]);
    const elapsedSeconds = (Date.now() - started) / 1000;

    const { rows } = await knexA.raw('SELECT data FROM open_amt_history');
    // Samples of MPS across buckets = sweeps that probed this deployment (component index 0 is mps).
    const samples = rows
      .map((r: { data: string }) =>
        r.data.split(';').find(p => p.startsWith('0:')),
      )
      .filter(Boolean)
      .reduce(
        (n: number, part: string) => n + Number(part.slice(2).split(',')[0]),
        0,
      );
    const intervals = elapsedSeconds / intervalSeconds;
    expect(samples).toBeGreaterThanOrEqual(2);
    // One instance per interval (plus one for the edges); two instances each sweeping would double it.
    expect(samples).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    await knexB.destroy();
  });
});
