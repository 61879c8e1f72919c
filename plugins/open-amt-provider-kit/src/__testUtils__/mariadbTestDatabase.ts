import { createConnection } from 'mariadb';
import { randomBytes } from 'node:crypto';
import { mariadbSchema } from '@open-amt-backstage/plugin-open-amt-node';
import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';

/** The local MariaDB the project's tests use (root, empty password). */
const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

async function asRoot<T>(
  fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>,
) {
  const c = await createConnection(SERVER);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A uniquely named database holding one side of a release's schema, built with open-amt-node's MariaDB translation
 * (the statements operators run), and the connection string the portal would write for it.
 */
export async function createSchemaDatabase(
  release: ToolkitRelease,
  side: 'rps' | 'mps',
): Promise<{ name: string; connectionString: string; drop(): Promise<void> }> {
  const name = `kit_${side}_${release.id.replace(/\W/g, '')}_${randomBytes(
    4,
  ).toString('hex')}`;
  await asRoot(async c => {
    await c.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await c.query(`USE \`${name}\``);
    for (const statement of mariadbSchema(release)[side])
      await c.query(statement);
  });
  return {
    name,
    connectionString: `mariadb://root:@${SERVER.host}:${SERVER.port}/${name}?ssl=false&sslVerify=false`,
    drop: () =>
      asRoot(c => c.query(`DROP DATABASE IF EXISTS \`${name}\``)).then(
        () => undefined,
      ),
  };
}

/** Runs SQL in that database as root (test set-up and checks beside the provider). */
export const rootQuery = (
  database: string,
  text: string,
  values: unknown[] = [],
) =>
  asRoot(async c => {
    await c.query(`USE \`${database}\``);
    return c.query(text, values);
  });
