import { escapeIdentifier, escapeLiteral } from 'pg';
import { InputError } from '@backstage/errors';
import type { DatabaseCredentials, DatabaseTarget } from '../types';
import { validatePasswordChanges } from './identifiers';
import { scramSha256Verifier } from './passwords';
import { withPostgresClient } from './postgresConnection';

/**
 * ALTER ROLE … PASSWORD for existing logins, each sent as a SCRAM verifier (the plain value never reaches the
 * server's statement log). A missing role fails naming it; roles before it keep their new password.
 */
export async function setPostgresPasswords(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  users: readonly DatabaseCredentials[],
  options: { maintenanceDatabase: string; connectTimeoutMs: number },
): Promise<{ changed: string[] }> {
  validatePasswordChanges(admin, users);
  const changed: string[] = [];
  await withPostgresClient(
    target,
    admin,
    options.maintenanceDatabase,
    options.connectTimeoutMs,
    async c => {
      for (const user of users) {
        const role = await c.query(
          'SELECT 1 FROM pg_roles WHERE rolname = $1',
          [user.user],
        );
        if (role.rowCount === 0)
          throw new InputError(
            `the login ${user.user} does not exist on ${target.host}:${target.port}: run open-amt:database:init first`,
          );
        await c.query(
          `ALTER ROLE ${escapeIdentifier(user.user)} PASSWORD ${escapeLiteral(
            scramSha256Verifier(user.password),
          )}`,
        );
        changed.push(user.user);
      }
    },
  );
  return { changed };
}
