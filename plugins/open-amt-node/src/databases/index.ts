import type { DatabaseProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseAdapter } from '../types';
import { amazonRdsPostgresqlAdapter } from './amazonRdsPostgresql';
import { azurePostgresqlAdapter } from './azurePostgresql';
import { azureSqlAdapter } from './azureSql';
import { mariadbAdapter } from './mariadb';
import { mssqlAdapter } from './mssql';
import { postgresqlAdapter } from './postgresql';

/** One adapter per provider id of DATABASE_PROVIDERS (open-amt-common). */
export const databaseAdapters: Record<DatabaseProviderId, DatabaseAdapter> = {
  postgresql: postgresqlAdapter,
  'azure-postgresql': azurePostgresqlAdapter,
  'amazon-rds-postgresql': amazonRdsPostgresqlAdapter,
  'azure-sql': azureSqlAdapter,
  mssql: mssqlAdapter,
  mariadb: mariadbAdapter,
};

export function databaseAdapterFor(
  provider: DatabaseProviderId,
): DatabaseAdapter {
  return databaseAdapters[provider];
}

export {
  postgresqlAdapter,
  azurePostgresqlAdapter,
  amazonRdsPostgresqlAdapter,
  azureSqlAdapter,
  mssqlAdapter,
  mariadbAdapter,
};
export {
  createPostgresFamilyAdapter,
  type PostgresFamilyOptions,
} from './postgresFamily';
export {
  createMssqlFamilyAdapter,
  type MssqlFamilyOptions,
} from './mssqlFamily';
export {
  summarize as summarizeDatabaseProbe,
  slowThresholdMs,
  type DatabaseProbeReason,
} from './probeModel';
export { DatabaseLoginError } from './loginCheck';
export { classifyPostgresError } from './postgresErrors';
export { classifyMariadbError } from './mariadbErrors';
export { classifyMssqlError } from './mssqlErrors';
export { releaseFor, missingTables } from './schema/model';
export { mariadbSchema } from './schema/mariadb';
export { mssqlSchema } from './schema/mssql';
export {
  ROW_VERSION_COLUMN,
  ROW_VERSION_TABLES,
  hasRowVersion,
} from './schema/rowVersion';
