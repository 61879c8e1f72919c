/**
 * issue 21: the database probe reports the schema version found in the deployment's databases (the adapter's
 * detectSchemaVersion, with the probe's credentials), and the deployment's drift compares it with its release.
 * Runs against the local PostgreSQL (trust authentication), like the adapters' own tests.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DRIFT_DETAILS,
  TOOLKIT_V2_26_0,
  TOOLKIT_V2_37_0,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  databaseAdapters,
  gatewayAdapters,
  secretStoreAdapters,
  serviceAdapters,
  ciraEndpointAdapter,
  devicesAdapter,
  certificatesAdapter,
} from '@open-amt-backstage/plugin-open-amt-node';
import type { DatabaseTarget } from '@open-amt-backstage/plugin-open-amt-node';
import { Client } from 'pg';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import { createTestEngine } from '../../__testUtils__/testEngine';

jest.setTimeout(120_000);

const pid = process.pid;
const admin = { user: 'postgres', password: 'unused-with-trust' };
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'], disableDocker: true });
const names = {
  rpsDatabase: `oamt_drift_rps_${pid}`,
  mpsDatabase: `oamt_drift_mps_${pid}`,
};
const appUsers = {
  rps: { user: `oamt_drift_rps_${pid}`, password: 'Rps-Drift-Pass-1x' },
  mps: { user: `oamt_drift_mps_${pid}`, password: 'Mps-Drift-Pass-1x' },
};

async function sql(statement: string) {
  const c = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

describe('schema version in the database probe', () => {
  const deployments: ContractDeployment[] = [];

  beforeAll(async () => {
    // Databases of the older release: what a deployment scaffolded for v2.26.0 and not migrated holds.
    const target: DatabaseTarget = {
      host: '127.0.0.1',
      port: 5432,
      tlsMode: 'disable',
      ...names,
      toolkitRelease: TOOLKIT_V2_26_0.id,
    };
    await databaseAdapters.postgresql.initialize(target, admin, appUsers);
  });

  afterAll(async () => {
    await Promise.all(deployments.map(d => d.close()));
    for (const db of Object.values(names))
      await sql(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    for (const u of Object.values(appUsers))
      await sql(`DROP ROLE IF EXISTS "${u.user}"`);
  });

  async function healthOf(
    name: string,
    toolkitRelease: string,
    adapters?: Parameters<typeof createTestEngine>[0]['adapters'],
  ) {
    const deployment = await startContractDeployment({
      name: `${name}-${pid}`,
      toolkitRelease,
      database: names,
    });
    deployments.push(deployment);
    const { engine } = await createTestEngine({
      database: mockServices.database({ knex: await sqlite.init('SQLITE_3') }),
      entities: [deployment.entity],
      adapters,
      health: {
        secretStores: {
          vault: {
            address: deployment.vault.url,
            token: deployment.vault.rootToken,
          },
        },
      },
    });
    const health = (await engine.refresh(deployment.entityRef))!;
    return {
      health,
      database: health.components.find(c => c.component === 'database')!,
      deployment,
    };
  }

  it('finds the release the databases hold; current for a deployment of that release', async () => {
    const { health, database, deployment } = await healthOf(
      'schema-same',
      TOOLKIT_V2_26_0.id,
    );
    expect(database.details?.[DRIFT_DETAILS.schemaVersion]).toMatchObject({
      rps: { release: TOOLKIT_V2_26_0.id },
      mps: { release: TOOLKIT_V2_26_0.id },
    });
    expect(health.drift?.items.find(i => i.kind === 'schema')?.state).toBe(
      'current',
    );
    expect(JSON.stringify(health)).not.toContain(deployment.databasePassword);
  });

  it('a deployment annotated with a newer release than its databases hold is drifted, fixed by the upgrade', async () => {
    const { health } = await healthOf('schema-newer', TOOLKIT_V2_37_0.id);
    const schema = health.drift?.items.find(i => i.kind === 'schema');
    expect(schema).toMatchObject({ state: 'drifted' });
    expect(schema?.explanation).toContain(
      `holds the schema of ${TOOLKIT_V2_26_0.id}`,
    );
    expect(schema?.fix).toContain('Upgrade an Open AMT deployment');
  });

  it('an adapter without detectSchemaVersion is reported as not checkable, its probe result otherwise unchanged', async () => {
    const { detectSchemaVersion: _omit, ...withoutDetect } =
      databaseAdapters.postgresql;
    const { health, database } = await healthOf(
      'schema-nodetect',
      TOOLKIT_V2_26_0.id,
      {
        databases: { ...databaseAdapters, postgresql: withoutDetect },
        secretStores: secretStoreAdapters,
        gateways: gatewayAdapters,
        services: serviceAdapters,
        cira: ciraEndpointAdapter,
        devices: devicesAdapter,
        certificates: certificatesAdapter,
      },
    );
    expect(database.status).toBe('healthy');
    expect(database.details?.[DRIFT_DETAILS.schemaVersion]).toBeUndefined();
    expect(health.drift?.items.find(i => i.kind === 'schema')).toMatchObject({
      state: 'notCheckable',
      explanation: expect.stringContaining('has no detectSchemaVersion'),
    });
  });
});
