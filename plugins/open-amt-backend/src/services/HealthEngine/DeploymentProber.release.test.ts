/**
 * issue 11: MPS and RPS are judged against their deployment's toolkit release. The contract stand-ins report the
 * newest release's versions; a deployment without the open-amt.io/toolkit-release annotation runs v2.26.0.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
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

describe("service versions against the deployment's release", () => {
  const deployments: ContractDeployment[] = [];
  afterAll(async () => {
    await Promise.all(deployments.map(d => d.close()));
  });

  async function componentsOf(name: string, toolkitRelease?: string | null) {
    const deployment = await startContractDeployment({
      name: `${name}-${process.pid}`,
      toolkitRelease,
    });
    deployments.push(deployment);
    const { engine } = await createTestEngine({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
      entities: [deployment.entity],
      health: {
        secretStores: {
          vault: {
            address: deployment.vault.url,
            token: deployment.vault.rootToken,
          },
        },
      },
    });
    const health = await engine.refresh(deployment.entityRef);
    return Object.fromEntries(health!.components.map(c => [c.component, c]));
  }

  it('a deployment of the newest release running its services is healthy, with the expected versions shown', async () => {
    const c = await componentsOf('rel-new');
    expect(c.mps.status).toBe('healthy');
    expect(c.mps.details).toMatchObject({
      version: '2.34.1',
      expectedVersion: '2.34.1',
      toolkitRelease: 'v2.37.0',
    });
    expect(c.rps.details).toMatchObject({
      version: '2.39.4',
      expectedVersion: '2.39.4',
    });
    expect(c.mpsrouter.details).toMatchObject({ expectedVersion: '2.5.13' });
  });

  it('a v2.26.0 deployment whose services run other versions is degraded, saying what runs and what is expected', async () => {
    const c = await componentsOf('rel-old', 'v2.26.0');
    expect(c.mps.status).toBe('degraded');
    expect(c.mps.message).toMatch(
      /running v2\.34\.1, release v2\.26\.0 expects v2\.13\.21\.$/,
    );
    expect(c.rps.status).toBe('degraded');
    expect(c.rps.message).toMatch(
      /running v2\.39\.4, release v2\.26\.0 expects v2\.22\.14\.$/,
    );
  });

  it('an unannotated deployment is judged as v2.26.0', async () => {
    const c = await componentsOf('rel-none', null);
    expect(c.mps.details).toMatchObject({
      expectedVersion: '2.13.21',
      toolkitRelease: 'v2.26.0',
    });
    expect(c.mps.status).toBe('degraded');
  });
});
