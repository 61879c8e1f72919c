import type { DatabaseAdapter } from '../types';
import { createPostgresFamilyAdapter } from './postgresFamily';

/**
 * Amazon RDS for PostgreSQL. The master user has rds_superuser (citext is a trusted extension), not
 * superuser: passwords are always re-set on init. Use tlsMode verify-full with the RDS CA bundle as `ca`.
 */
export const amazonRdsPostgresqlAdapter: DatabaseAdapter =
  createPostgresFamilyAdapter({
    provider: 'amazon-rds-postgresql',
    label: 'Amazon RDS for PostgreSQL',
    citextHint:
      'the RDS master user (rds_superuser) can create it; check that the user runs init as the master user',
  });
