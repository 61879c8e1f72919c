import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { DatabaseHealthStore } from './DatabaseHealthStore';
import { DeploymentMeta } from './HealthStore';

jest.setTimeout(60_000);

// PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set; SQLite always. Docker is never used.
const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const meta = (name: string): DeploymentMeta => ({
  entityRef: `system:default/${name}`,
  namespace: 'default',
  name,
  simulated: false,
  providers: {},
});

describe.each(databases.eachSupportedId())(
  'The notices ledger on %p',
  (databaseId: TestDatabaseId) => {
    const opened: Knex[] = [];
    afterAll(async () => {
      await Promise.all(opened.map(k => k.destroy()));
    });

    async function createStore(knex?: Knex) {
      const db = knex ?? (await databases.init(databaseId));
      const store = await DatabaseHealthStore.create({
        database: mockServices.database({ knex: db }),
      });
      return { knex: db, store };
    }

    /** Another replica: its own connection pool on the same database (SQLite: the same file handle). */
    function otherConnection(knex: Knex): Knex {
      if (!String(knex.client.config.client).includes('pg')) return knex;
      const other = knexFactory({
        client: 'pg',
        connection: { ...(knex.client.config.connection as object) },
        pool: { min: 0, max: 10 },
      });
      opened.push(other);
      return other;
    }

    it('gives a notice to the first claim only, per deployment and key', async () => {
      const { store } = await createStore();
      const ref = 'system:default/a';
      expect(await store.claimNotice(ref, 'certificate:x:7')).toBe(true);
      expect(await store.claimNotice(ref, 'certificate:x:7')).toBe(false);
      expect(await store.claimNotice(ref, 'certificate:x:1')).toBe(true);
      expect(
        await store.claimNotice('system:default/b', 'certificate:x:7'),
      ).toBe(true);
    });

    it('gives each notice to exactly one of two replicas claiming at the same time', async () => {
      const { knex, store: a } = await createStore();
      const { store: b } = await createStore(otherConnection(knex));
      const keys = Array.from({ length: 20 }, (_, i) => `devices-dropped:${i}`);
      const results = await Promise.all(
        keys.flatMap(key => [
          a.claimNotice('system:default/race', key),
          b.claimNotice('system:default/race', key),
        ]),
      );
      keys.forEach((_, i) =>
        expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toEqual([
          true,
        ]),
      );
    });

    it('forgets the notices of a deployment that left the catalog, and old ones', async () => {
      const { knex, store } = await createStore();
      await store.syncDeployments([meta('keep'), meta('gone')]);
      const old = new Date('2024-01-01T00:00:00Z');
      const recent = new Date('2025-06-01T00:00:00Z');
      await store.claimNotice('system:default/keep', 'old', old);
      await store.claimNotice('system:default/keep', 'recent', recent);
      await store.claimNotice('system:default/gone', 'recent', recent);

      await store.syncDeployments([meta('keep')]);
      const left = async () =>
        (
          await knex('open_amt_notices')
            .select('entity_ref', 'notice_key')
            .orderBy('notice_key')
        ).map(r => `${r.entity_ref} ${r.notice_key}`);
      expect(await left()).toEqual([
        'system:default/keep old',
        'system:default/keep recent',
      ]);

      expect(
        await store.deleteNoticesOlderThan(new Date('2025-01-01T00:00:00Z')),
      ).toBe(1);
      expect(await left()).toEqual(['system:default/keep recent']);
      // Back in the catalog later: its notices start afresh.
      expect(await store.claimNotice('system:default/gone', 'recent')).toBe(
        true,
      );
    });

    it('rolls the ledger table back with its migration', async () => {
      const { knex } = await createStore();
      expect(await knex.schema.hasTable('open_amt_notices')).toBe(true);
      await knex.migrate.down({
        directory: `${__dirname}/../../../migrations`,
      });
      expect(await knex.schema.hasTable('open_amt_notices')).toBe(false);
    });
  },
);
