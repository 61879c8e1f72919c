/*
 * Live updates across replicas: two portal backends on the local PostgreSQL (shared databases, the events
 * backend's database-backed bus). Replica A runs the health sweep; replica B only serves (health sweep
 * disabled). A browser connected to B receives the change A found, for the deployments its user owns only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
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
      // The start-up race this test once lost on a loaded machine: the HTTP server listens before every
      // plugin has mounted its routes, and the events backend mounts its bus routes only after its database
      // migrations. A signals subscription (replica B) or a publish (replica A) that reaches /api/events in
      // that window gets a 404, and in the default mode ('auto') the events client then gives up for good
      // ("events backend not found"): B never hears of A's changes. 'always' keeps retrying until the bus
      // answers; the test then waits for both subscriptions to exist (below), not for time to pass.
      APP_CONFIG_events_useEventBus: 'always',
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
    await waitFor(
      "both replicas' signals subscriptions on the shared event bus",
      async () =>
        (await signalsSubscriptions(prefix)) >= 2 ? true : undefined,
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

/** How many signals subscriptions (one per replica: `signals.<instance id>`) the shared event bus holds. */
async function signalsSubscriptions(prefix: string): Promise<number> {
  const client = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: `${prefix}events`,
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM event_bus_subscriptions WHERE id LIKE 'signals.%'",
    );
    return rows[0].n;
  } finally {
    await client.end().catch(() => {});
  }
}
