/**
 * The probe entry as open-amt:secrets:provision writes it (`dbUser` / `dbPassword`) is read like the
 * engine's own `databaseUser` / `databasePassword`: the database is probed, not reported unknown.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { vaultAdapter } from '@open-amt-backstage/plugin-open-amt-node';
import {
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import { createTestEngine } from '../../__testUtils__/testEngine';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

describe('probe credentials written by the scaffolder', () => {
  let vault: VaultContractServer;
  let deployment: ContractDeployment;

  beforeAll(async () => {
    vault = await startVaultServer();
    deployment = await startContractDeployment({
      name: `cred-keys-${process.pid}`,
      vault,
    });
    // Replace the entry with the scaffolder's key names only (and its binding).
    const spec = {
      provider: 'vault' as const,
      address: vault.url,
      mount: 'kv',
      pathPrefix: 'open-amt',
    };
    const auth = { kind: 'vault-token' as const, token: vault.rootToken };
    const name = `${deployment.name}-probe`;
    const { databaseUser, databasePassword, ...binding } =
      (await vaultAdapter.read(spec, auth, name))!;
    void databaseUser;
    void databasePassword;
    await vaultAdapter.write(
      spec,
      auth,
      {
        [name]: {
          mpsUser: 'admin',
          mpsPassword: 'Web-Admin-1x!',
          dbUser: 'postgres',
          dbPassword: 'Db-Probe-1x',
          ...binding,
        },
      },
      { rotate: true },
    );
  });
  afterAll(async () => {
    await deployment?.close();
    await vault?.close();
  });

  it('probes the database with dbUser/dbPassword', async () => {
    const { engine } = await createTestEngine({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
      entities: [deployment.entity],
      health: {
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
      },
    });
    const health = await engine.refresh(deployment.entityRef);
    const database = health!.components.find(c => c.component === 'database')!;
    expect(database.message).not.toMatch(/has no databaseUser/);
    expect(database.details).toMatchObject({ engine: 'PostgreSQL' });
  });
});
