/*
 * Two backends on one PostgreSQL database (replicas): the alerts' state and the notices ledger are shared, so the
 * owners hear of each event once, whichever replica ran the round. Runs when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (.ci/run sets it); skipped otherwise.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  contractDevices,
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import {
  createProbeDatabases,
  ProbeDatabases,
} from '../../__testUtils__/probeDatabases';
import { createTestEngine } from '../../__testUtils__/testEngine';

jest.setTimeout(90_000);

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const describeWithPostgres = process.env[PG_ENV] ? describe : describe.skip;
const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});

describeWithPostgres('HealthEngine alerts on PostgreSQL replicas', () => {
  let vault: VaultContractServer;
  let probeDatabases: ProbeDatabases;
  let d: ContractDeployment;
  const pools: Knex[] = [];

  beforeAll(async () => {
    vault = await startVaultServer();
    probeDatabases = await createProbeDatabases('alrpg');
    d = await startContractDeployment({
      name: 'alert-replicas',
      vault,
      database: probeDatabases.database,
    });
  });
  afterAll(async () => {
    await d.close();
    await vault.close();
    await probeDatabases.close();
    await Promise.all(pools.map(p => p.destroy()));
  });

  it('tells of a certificate and of a drop in devices once, whichever of two backends sweeps', async () => {
    d.mps.state.devices = contractDevices(40, 40);
    d.rps.state.domains[0].expirationDate = new Date(
      Date.now() + 6.5 * 86_400_000,
    );
    const knexA = await databases.init('POSTGRES_15');
    const knexB = knexFactory({
      client: 'pg',
      connection: { ...(knexA.client.config.connection as object) },
      pool: { min: 0, max: 5 },
    });
    pools.push(knexB);
    const sent: NotificationSendOptions[] = [];
    const replica = (knex: Knex) =>
      createTestEngine({
        database: mockServices.database({ knex }),
        entities: [d.entity],
        health: {
          secretStores: {
            vault: { address: vault.url, token: vault.rootToken },
          },
        },
        notifications: { send: async n => void sent.push(n) },
      });
    const a = await replica(knexA);
    const b = await replica(knexB);
    const topic = (t: string) => sent.filter(n => n.payload.topic === t);
    const connect = (connected: number) =>
      d.mps.state.devices.forEach((device, i) => {
        device.connected = i < connected;
      });

    // Both sweep at once (as if the scheduler's lock had failed): the certificate is told about once.
    await Promise.all([a.engine.sweep(), b.engine.sweep()]);
    expect(topic('open-amt-certificates').map(n => n.payload.title)).toEqual([
      'Open AMT deployment Open AMT alert-replicas: provisioning certificate of domain vpro expires in 6 days',
    ]);

    // The sweeps alternate between the replicas, as the scheduler hands them out.
    connect(12);
    await b.engine.sweep();
    await a.engine.sweep();
    await b.engine.sweep();
    expect(topic('open-amt-devices').map(n => n.payload.severity)).toEqual([
      'high',
    ]);
    connect(40);
    await a.engine.sweep();
    await b.engine.sweep();
    await a.engine.sweep();
    expect(topic('open-amt-devices').map(n => n.payload.severity)).toEqual([
      'high',
      'normal',
    ]);
    expect(topic('open-amt-certificates')).toHaveLength(1);
    const stored = await a.store.getDeployment(d.entityRef);
    expect(stored?.status).toBe('degraded'); // the certificate
    expect(
      stored?.components.find(c => c.component === 'devices')?.status,
    ).toBe('healthy');
  });
});
