import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@open-amt-backstage/plugin-open-amt-backend',
  'migrations',
);

/** knex's lock row for the default migrations table (knex_migrations). */
const LOCK_TABLE = 'knex_migrations_lock';

export interface MigrateOptions {
  /** Other failures (two replicas creating knex's own tables at once) are retried this often. */
  attempts?: number;
  /** How long to wait for another instance to release the migration lock before giving up. */
  lockWaitMs?: number;
  /** How often the lock row is read while another instance holds it. */
  lockPollMs?: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const isMigrationLocked = (error: unknown) =>
  (error as { name?: unknown } | undefined)?.name === 'MigrationLocked';

async function lockHeld(client: Knex): Promise<boolean> {
  const row = await client(LOCK_TABLE).first('is_locked');
  return Boolean(row && Number(row.is_locked));
}

/**
 * Runs the plugin's knex migrations so that replicas may start together. Two races are possible: on an empty database
 * both create knex's bookkeeping tables (the loser fails before the lock exists: retried after a short pause); later,
 * one holds knex's migration lock while it migrates (the other fails with MigrationLocked: it waits until the lock
 * row is released, however long the winner takes, up to lockWaitMs, then runs again and finds nothing to do).
 */
export async function migrateWithRetry(
  client: Knex,
  options: MigrateOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 5;
  const lockWaitMs = options.lockWaitMs ?? 5 * 60_000;
  const lockPollMs = options.lockPollMs ?? 250;
  let failures = 0;
  for (;;) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      if (isMigrationLocked(error)) {
        const deadline = Date.now() + lockWaitMs;
        while (await lockHeld(client)) {
          if (Date.now() >= deadline) {
            throw new Error(
              `Open AMT health store: the knex migration lock (${LOCK_TABLE}) was still held after ${Math.round(
                lockWaitMs / 1000,
              )} s. If no other backend instance is migrating, one stopped mid-migration: release the lock (UPDATE ${LOCK_TABLE} SET is_locked = 0) and restart.`,
            );
          }
          await sleep(lockPollMs);
        }
        continue;
      }
      failures += 1;
      if (failures >= attempts) throw error;
      await sleep(200 * failures + Math.random() * 200);
    }
  }
}
