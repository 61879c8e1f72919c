import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@open-amt-backstage/plugin-open-amt-backend',
  'migrations',
);

/**
 * Runs the plugin's knex migrations. Replicas starting together on an empty database race to create knex's own
 * bookkeeping tables (the loser fails with a duplicate-table error before knex's migration lock exists); retrying
 * after the winner finished makes the loser a no-op.
 */
export async function migrateWithRetry(
  client: Knex,
  attempts = 5,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise(resolve =>
        setTimeout(resolve, 200 * attempt + Math.random() * 200),
      );
    }
  }
}
