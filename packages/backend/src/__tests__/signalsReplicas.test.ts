/*
 * Live updates across replicas: two portal backends on the local PostgreSQL (shared databases, the events
 * backend's database-backed bus). Replica A runs the health sweep; replica B only serves (health sweep
 * disabled). A browser connected to B receives the change A found, for the deployments its user owns only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPEN_AMT_SIGNAL_CHANNEL } from '@open-amt-backstage/plugin-open-amt-common';
import {
  bearer,
  connectSignals,
  guestToken,
  OTHERS,
  OWN,
  serviceAuth,
  startMpsStandIn,
  waitFor,
  writePermissionFixture,
} from './__testUtils__/permissionFixture';
import {
  dropDatabasesWithPrefix,
  postgresReachable,
  RunningBackend,
  startBackend,
} from './helpers/startBackend';

jest.setTimeout(300_000);

describe('signals across two backend replicas on PostgreSQL', () => {
  const prefix = `oamt_replicas_${process.pid}_`;
  const replicas: RunningBackend[] = [];
  let mps: Awaited<ReturnType<typeof startMpsStandIn>>;

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await mps?.close();
    if (replicas.length) await dropDatabasesWithPrefix(prefix);
  });

  it('delivers a change found on replica A to a browser connected to replica B, to owners only', async () => {
    if (!(await postgresReachable())) {
      if (process.env.CI)
        throw new Error('PostgreSQL on 127.0.0.1:5432 is required in CI');
      console.warn('skipped: no PostgreSQL on 127.0.0.1:5432');
      return;
    }
    mps = await startMpsStandIn();
    const config = [
      'app-config.yaml',
      'app-config.production.yaml',
      writePermissionFixture(mps.url),
    ];
    const postgres = {
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: 'postgres',
      POSTGRES_PASSWORD: 'unused-with-trust-auth',
      APP_CONFIG_backend_database_prefix: prefix,
    };
    const a = await startBackend(config, postgres);
    replicas.push(a);
    const b = await startBackend(config, {
      ...postgres,
      APP_CONFIG_openAmt_health_enabled: 'false',
    });
    replicas.push(b);

    await waitFor(
      'replica B knows the guest as a member of guests',
      async () => {
        const res = await fetch(
          `${b.baseUrl}/api/catalog/entities/by-name/user/default/guest`,
          { headers: serviceAuth },
        );
        const user = res.ok ? await res.json() : undefined;
        return user?.relations?.some(
          (r: { targetRef: string }) => r.targetRef === 'group:default/guests',
        )
          ? true
          : undefined;
      },
    );
    const token = await guestToken(b);
    // A has swept every deployment (B serves them from the shared store).
    await waitFor('the fleet on B', async () => {
      const res = await fetch(`${b.baseUrl}/api/open-amt/deployments`, {
        headers: bearer(token),
      });
      return res.ok && (await res.json()).totalCount === OWN.length
        ? true
        : undefined;
    });

    let stopChanging: (() => void) | undefined;
    const signals = await connectSignals(b, token, OPEN_AMT_SIGNAL_CHANNEL);
    try {
      stopChanging = mps.keepChanging();
      mps.setHealthy(false);
      await waitFor(
        'signals on B for every owned deployment',
        async () => {
          const refs = new Set(signals.messages.map(m => m.message.entityRef));
          return OWN.every(n => refs.has(`system:default/${n}`))
            ? true
            : undefined;
        },
        90_000,
      ).catch(error => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oamt-replicas-'));
        fs.writeFileSync(path.join(dir, 'replica-a.log'), a.log());
        fs.writeFileSync(path.join(dir, 'replica-b.log'), b.log());
        throw new Error(
          `${error.message}; received ${JSON.stringify(
            signals.messages,
          )}; replica logs in ${dir}`,
        );
      });
      expect(
        signals.messages.every(
          m => m.message.status === 'down' || m.message.changed.length > 0,
        ),
      ).toBe(true);
      expect(
        signals.messages.filter(m =>
          OTHERS.some(n => m.message.entityRef === `system:default/${n}`),
        ),
      ).toEqual([]);
      // B never swept: the changes were found on A.
      expect(b.log()).not.toMatch(/Health sweep:/);
      expect(a.log()).toMatch(/Health sweep:/);
      for (const replica of [a, b])
        expect(replica.log()).not.toMatch(/events backend not found/);
    } finally {
      signals.close();
      stopChanging?.();
    }
  });
});
