import { createConnection } from 'mariadb';
import { randomUUID } from 'node:crypto';

/** The local MariaDB the tests run on (root over TCP, no password, as the CI box has it). */
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' };

export const mariadbUrl = (database: string) =>
  `mariadb://${MARIADB.user}:@${MARIADB.host}:${MARIADB.port}/${database}?ssl=false&sslVerify=false`;

export const testDatabaseName = () =>
  `kit_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** A fresh database with `script` (statements separated by `;`) run in it; `drop()` removes it. */
export async function createTestDatabase(
  script = '',
  name = testDatabaseName(),
) {
  const admin = await createConnection({
    ...MARIADB,
    multipleStatements: true,
  });
  try {
    await admin.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await admin.query(`USE \`${name}\``);
    if (script.trim()) await admin.query(script);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: mariadbUrl(name),
    async drop() {
      const c = await createConnection({ ...MARIADB });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
