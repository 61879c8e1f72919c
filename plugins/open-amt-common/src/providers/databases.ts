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

/**
 * What a kit database means for the operator: upstream MPS/RPS only load PostgreSQL (and MPS Mongo), so the images the
 * deployment's repository builds add this project's provider; the operator runs that build and pushes the images.
 */
const kitDatabase = (label: string, minimum?: string) =>
  `Runs with the upstream MPS and RPS images plus this project's ${label} provider${
    minimum ? ` (${minimum})` : ''
  }, which your deployment repository builds into them (scripts/build-images.sh or its CI workflow): the images must be in your registry before the first start; open-amt:database:init creates the databases, users and schema.`;

/**
 * mps-router (Go, lib/pq) reads devices from PostgreSQL only: with another database it cannot route to an MPS, so MPS
 * runs alone (render/replicas.ts). A scaling constraint, not a failure: said in the implication, not as a limitation.
 */
const mpsRouterNote = (label: string) =>
  `mps-router only speaks PostgreSQL (lib/pq): it cannot look devices up in ${label}, so MPS runs as one instance whatever replicas.mps asks.`;

/** What could not be run here for the SQL Server family: no SQL Server runs on this project's machines. */
const mssqlNotVerified = (label: string) =>
  `the SQL Server providers, and this portal's database init and probe, were not executed against ${label} here (no SQL Server runs on this project's test machines): only the statements they send (as text), their error mapping and their connection strings were tested, so try them on a non-production database first.`;

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
    supportLevel: 'kit',
    engine: 'mssql',
    defaultPort: 1433,
    mpsDbProvider: 'mssql',
    implication: `${kitDatabase('SQL Server')} ${mpsRouterNote(
      'Azure SQL Database',
    )}`,
    notVerified: mssqlNotVerified('Azure SQL Database'),
    docsUrl: 'https://learn.microsoft.com/azure/azure-sql/database/',
    consoleUrl:
      'https://portal.azure.com/#browse/Microsoft.Sql%2Fservers%2Fdatabases',
  },
  mssql: {
    id: 'mssql',
    kind: 'database',
    label: 'Microsoft SQL Server',
    supportLevel: 'kit',
    engine: 'mssql',
    defaultPort: 1433,
    mpsDbProvider: 'mssql',
    implication: `${kitDatabase(
      'SQL Server',
      'SQL Server 2016 or later',
    )} ${mpsRouterNote('Microsoft SQL Server')}`,
    notVerified: mssqlNotVerified('Microsoft SQL Server'),
    docsUrl: 'https://learn.microsoft.com/sql/sql-server/',
  },
  mariadb: {
    id: 'mariadb',
    kind: 'database',
    label: 'MariaDB',
    supportLevel: 'kit',
    engine: 'mariadb',
    defaultPort: 3306,
    mpsDbProvider: 'mariadb',
    implication: `${kitDatabase(
      'MariaDB',
      'MariaDB 10.6 or later',
    )} ${mpsRouterNote('MariaDB')}`,
    // The lead's run: upstream MPS v2.34.1 / RPS v2.39.4 built from their tags with the bundles, on the local MariaDB.
    notVerified:
      "the MariaDB providers with real AMT devices connected and over TLS inside the services: they were tested on a real MariaDB server with both releases' schemas, and run inside upstream MPS and RPS of both releases (v2.13.21 / v2.22.14 and v2.34.1 / v2.39.4) against upstream's own API collections, with no failed assertion.",
    docsUrl: 'https://mariadb.com/kb/en/documentation/',
  },
};
