import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { migrateWithRetry } from './migrate';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});
const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const describeWithPostgres = process.env[PG_ENV] ? describe : describe.skip;

/** Resolves once `client` has read knex's lock row `times` times (the waiting loop is running). */
function lockReads(client: Knex, times: number): Promise<void> {
  return new Promise(resolve => {
    let seen = 0;
    const onQuery = (query: { sql: string }) => {
      if (
        /^select [`"]?is_locked[`"]? from [`"]?knex_migrations_lock/i.test(
          query.sql,
        ) &&
        ++seen >= times
      ) {
        client.removeListener('query', onQuery);
        resolve();
      }
    };
    client.on('query', onQuery);
  });
}

const lock = (client: Knex, held: boolean) =>
  client('knex_migrations_lock').update({ is_locked: held ? 1 : 0 });

describe.each(databases.eachSupportedId())('migrateWithRetry on %p', id => {
  it('waits while another instance holds the migration lock, then finishes', async () => {
    const client = await databases.init(id);
    await migrateWithRetry(client);
    await client.migrate.rollback(
      { directory: `${__dirname}/../../../migrations` },
      true,
    );
    await lock(client, true);

    const polled = lockReads(client, 3);
    const run = migrateWithRetry(client, { lockPollMs: 20 });
    // Still waiting after three reads of the lock row: neither finished nor failed while the lock was held.
    await Promise.race([
      polled,
      run.then(() => {
        throw new Error('migrations ran while the lock was held');
      }),
    ]);

    await lock(client, false);
    await run;
    expect(await client.schema.hasTable('open_amt_deployments')).toBe(true);
  });

  it('gives up with the lock table named when the lock is never released', async () => {
    const client = await databases.init(id);
    await migrateWithRetry(client);
    await client.migrate.rollback(
      { directory: `${__dirname}/../../../migrations` },
      true,
    );
    await lock(client, true);
    await expect(
      migrateWithRetry(client, { lockWaitMs: 100, lockPollMs: 20 }),
    ).rejects.toThrow(
      /knex_migrations_lock\) was still held after .*is_locked = 0/,
    );
  });
});

describeWithPostgres('migrateWithRetry, instances starting together', () => {
  it('four instances on one empty PostgreSQL database all start', async () => {
    const first = await databases.init('POSTGRES_15');
    const others = [1, 2, 3].map(() =>
      knexFactory({
        client: 'pg',
        connection: { ...(first.client.config.connection as object) },
        pool: { min: 0, max: 3 },
      }),
    );
    try {
      const clients = [first, ...others];
      // Each instance reports how it ended; all four must have migrated or found nothing to do.
      const outcomes = await Promise.allSettled(
        clients.map(c => migrateWithRetry(c, { lockPollMs: 20 })),
      );
      expect(outcomes.map(o => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      const [{ n }] = await first('knex_migrations').count({ n: '*' });
      const files = await first.migrate.list({
        directory: `${__dirname}/../../../migrations`,
      });
      expect(Number(n)).toBe(files[0].length);
      expect(files[1]).toEqual([]);
    } finally {
      await Promise.all(others.map(c => c.destroy()));
    }
  });
});
