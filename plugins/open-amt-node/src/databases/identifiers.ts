import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  isToolkitReleaseId,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseCredentials, DatabaseTarget } from '../types';

/**
 * Every name that ends up inside DDL passes these checks first; quoting below is a second line of defence,
 * not the only one. Names stay lower-case-friendly so PostgreSQL never needs case-folding surprises.
 */
const databaseName = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,62}$/,
    'must be 1-63 lower-case letters, digits or underscores, not starting with a digit',
  );
const userName = z
  .string()
  .regex(
    /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/,
    'must be 1-63 letters, digits or underscores, not starting with a digit',
  );
/** 128 is SQL Server's limit for a login password; NUL bytes break every wire protocol here. */
const password = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .refine(p => !p.includes('\u0000'), 'must not contain NUL');

const credentials = z.object({ user: userName, password });

/** A release this package has data for (the schema to create, grant and expect). */
const toolkitRelease = z
  .string()
  .refine(
    isToolkitReleaseId,
    `must be a known toolkit release (${TOOLKIT_RELEASE_IDS.join(', ')})`,
  )
  .optional();

const initInput = z
  .object({
    target: z
      .object({
        rpsDatabase: databaseName,
        mpsDatabase: databaseName,
        toolkitRelease,
      })
      .passthrough(),
    admin: z.object({ user: z.string().min(1), password: z.string() }),
    appUsers: z.object({
      mps: credentials,
      rps: credentials,
      probe: credentials.optional(),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.target.rpsDatabase === v.target.mpsDatabase) {
      ctx.addIssue({
        code: 'custom',
        path: ['target', 'mpsDatabase'],
        message: 'must differ from rpsDatabase',
      });
    }
    if (
      v.appUsers.mps.user.toLowerCase() === v.appUsers.rps.user.toLowerCase()
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['appUsers', 'mps', 'user'],
        message:
          'must differ from the rps user (each service gets its own least-privileged user)',
      });
    }
    for (const side of ['mps', 'rps'] as const) {
      if (v.appUsers[side].user.toLowerCase() === v.admin.user.toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          path: ['appUsers', side, 'user'],
          message: 'must differ from the admin user',
        });
      }
    }
  });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || 'input'} ${issue.message}`;
}

/** Throws InputError naming the field; never echoes a password. */
export function validateInitInput(
  target: DatabaseTarget,
  admin: DatabaseCredentials,
  appUsers: {
    mps: DatabaseCredentials;
    rps: DatabaseCredentials;
    probe?: DatabaseCredentials;
  },
): void {
  const parsed = initInput.safeParse({ target, admin, appUsers });
  if (!parsed.success) throw new InputError(firstIssue(parsed.error));
}

/** The logins whose passwords setPasswords changes: each a valid name with a password, no name twice, not the admin. */
export function validatePasswordChanges(
  admin: DatabaseCredentials,
  users: readonly DatabaseCredentials[],
): void {
  const parsed = z
    .array(credentials)
    .min(1, 'must name at least one login')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((u, i) => {
        const key = u.user.toLowerCase();
        if (key === admin.user.toLowerCase())
          ctx.addIssue({
            code: 'custom',
            path: [i, 'user'],
            message: 'must differ from the admin user',
          });
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'user'],
            message: 'is named twice',
          });
        seen.add(key);
      });
    })
    .safeParse(users);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`users.${issue.path.join('.')} ${issue.message}`);
  }
}

export function validateDatabaseNames(names: {
  rpsDatabase: string;
  mpsDatabase: string;
  toolkitRelease?: string;
}): void {
  const parsed = z
    .object({
      rpsDatabase: databaseName,
      mpsDatabase: databaseName,
      toolkitRelease,
    })
    .safeParse(names);
  if (!parsed.success) throw new InputError(firstIssue(parsed.error));
}

export function quotePostgresIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteMariadbIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** In GRANT … ON `db`.*, `_` and `%` are wildcards: escape them so a grant covers exactly one database. */
export function mariadbGrantDatabasePattern(db: string): string {
  return quoteMariadbIdentifier(db.replace(/([_%\\])/g, '\\$1'));
}

export function quoteMssqlIdentifier(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

export function quoteMssqlString(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}
