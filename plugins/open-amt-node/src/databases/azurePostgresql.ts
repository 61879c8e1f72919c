import type { DatabaseAdapter } from '../types';
import { createPostgresFamilyAdapter } from './postgresFamily';

/**
 * Azure Database for PostgreSQL (flexible server). The admin is not a superuser: passwords are always
 * re-set on init (pg_authid is unreadable), and citext must be allow-listed before CREATE EXTENSION works.
 */
export const azurePostgresqlAdapter: DatabaseAdapter =
  createPostgresFamilyAdapter({
    provider: 'azure-postgresql',
    label: 'Azure Database for PostgreSQL',
    citextHint:
      'allow-list it first: set the server parameter azure.extensions to include CITEXT',
  });
