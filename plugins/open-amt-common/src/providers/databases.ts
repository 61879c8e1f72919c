import { ProviderInfo } from './types';

export const DATABASE_PROVIDER_IDS = [
  'postgresql',
  'azure-postgresql',
  'amazon-rds-postgresql',
  'azure-sql',
  'mssql',
  'mariadb',
] as const;
export type DatabaseProviderId = (typeof DATABASE_PROVIDER_IDS)[number];

/** SQL dialect a database provider speaks; decides schema translation and the client library. */
export type DatabaseEngine = 'postgres' | 'mssql' | 'mariadb';

/**
 * A database's registry entry. Built-ins have their ids in DatabaseProviderId; a database an adopter adds through the
 * extension points is a `DatabaseProviderInfo<string>` (its spec section is the common one: host, port, TLS, …).
 */
export interface DatabaseProviderInfo<Id extends string = DatabaseProviderId>
  extends ProviderInfo<Id> {
  engine: DatabaseEngine;
  defaultPort: number;
  /** Value MPS_DB_PROVIDER / RPS_DB_PROVIDER must carry for this database. */
  mpsDbProvider: string;
  /**
   * The CA the managed service signs its server certificates with, when the services' trust stores (Node's for MPS
   * and RPS, the scratch image of mps-router) do not hold it: verification then needs it (spec.database.caCertSecret).
   */
  serverCa?: string;
  /** What the operator sets on the managed server before initialisation (runbook). */
  setupSteps?: readonly string[];
}

const CUSTOM_DB =
  'The upstream MPS and RPS images only speak PostgreSQL: build images with a custom IDB provider (toolkit Database guide).';

export const DATABASE_PROVIDERS: Record<
  DatabaseProviderId,
  DatabaseProviderInfo
> = {
  postgresql: {
    id: 'postgresql',
    kind: 'database',
    label: 'PostgreSQL (self-hosted)',
    supportLevel: 'native',
    engine: 'postgres',
    defaultPort: 5432,
    mpsDbProvider: 'postgres',
    implication:
      'Runs with the upstream images; you operate backups, upgrades and high availability.',
    docsUrl: 'https://www.postgresql.org/docs/',
  },
  'azure-postgresql': {
    id: 'azure-postgresql',
    kind: 'database',
    label: 'Azure Database for PostgreSQL',
    supportLevel: 'native',
    // The toolkit's tables use CITEXT, which Azure loads only when allow-listed.
    setupSteps: [
      'Allow-list `CITEXT` in the server parameter `azure.extensions`.',
    ],
    engine: 'postgres',
    defaultPort: 5432,
    mpsDbProvider: 'postgres',
    implication:
      "Runs with the upstream images; allow-list the citext extension in the server parameter azure.extensions; verification needs Azure's root CA bundle (caCertSecret).",
    serverCa: "Azure's root CA bundle for Azure Database for PostgreSQL",
    docsUrl: 'https://learn.microsoft.com/azure/postgresql/',
    consoleUrl:
      'https://portal.azure.com/#browse/Microsoft.DBforPostgreSQL%2FflexibleServers',
  },
  'amazon-rds-postgresql': {
    id: 'amazon-rds-postgresql',
    kind: 'database',
    label: 'Amazon RDS for PostgreSQL',
    supportLevel: 'native',
    engine: 'postgres',
    defaultPort: 5432,
    mpsDbProvider: 'postgres',
    implication:
      'Runs with the upstream images; verification needs the Amazon RDS regional CA bundle (caCertSecret).',
    serverCa: 'the Amazon RDS regional CA bundle',
    docsUrl:
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_PostgreSQL.html',
    consoleUrl: 'https://console.aws.amazon.com/rds/home',
  },
  'azure-sql': {
    id: 'azure-sql',
    kind: 'database',
    label: 'Azure SQL Database',
    supportLevel: 'custom',
    engine: 'mssql',
    defaultPort: 1433,
    mpsDbProvider: 'mssql',
    implication: CUSTOM_DB,
    docsUrl: 'https://learn.microsoft.com/azure/azure-sql/database/',
    consoleUrl:
      'https://portal.azure.com/#browse/Microsoft.Sql%2Fservers%2Fdatabases',
  },
  mssql: {
    id: 'mssql',
    kind: 'database',
    label: 'Microsoft SQL Server',
    supportLevel: 'custom',
    engine: 'mssql',
    defaultPort: 1433,
    mpsDbProvider: 'mssql',
    implication: CUSTOM_DB,
    docsUrl: 'https://learn.microsoft.com/sql/sql-server/',
  },
  mariadb: {
    id: 'mariadb',
    kind: 'database',
    label: 'MariaDB',
    supportLevel: 'custom',
    engine: 'mariadb',
    defaultPort: 3306,
    mpsDbProvider: 'mariadb',
    implication: CUSTOM_DB,
    docsUrl: 'https://mariadb.com/kb/en/documentation/',
  },
};
