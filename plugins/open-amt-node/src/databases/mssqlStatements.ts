import { MSSQL_RECORD_VERSION_SQL } from './schema/mssql';
import { SCHEMA_VERSION_TABLE } from './schema/version';

/**
 * Statements the MSSQL family runs for initialize(). DDL cannot take parameters, so every statement that
 * needs a name or a password builds its DDL server-side with QUOTENAME over bound parameters: the values
 * travel as RPC parameters, never spliced into SQL text here. QUOTENAME(x, '''') accepts at most 128
 * characters, which identifiers.ts enforces for passwords.
 */
export interface MssqlStatement {
  sql: string;
  params: Record<string, string>;
}

export const mssqlInitStatements = {
  databaseExists: (database: string): MssqlStatement => ({
    sql: 'SELECT CASE WHEN DB_ID(@database) IS NULL THEN 0 ELSE 1 END AS present',
    params: { database },
  }),

  /** Run in master; CREATE DATABASE must be alone in its batch on Azure SQL. */
  createDatabase: (database: string): MssqlStatement => ({
    sql: "DECLARE @sql nvarchar(max) = N'CREATE DATABASE ' + QUOTENAME(@database);\nEXEC (@sql);",
    params: { database },
  }),

  /** `same` is 1 when the stored hash matches, NULL when this admin may not read hashes. */
  loginState: (login: string, password: string): MssqlStatement => ({
    sql: 'SELECT PWDCOMPARE(@password, password_hash) AS same FROM sys.sql_logins WHERE name = @login',
    params: { login, password },
  }),

  createLogin: (login: string, password: string): MssqlStatement => ({
    sql: "DECLARE @sql nvarchar(max) = N'CREATE LOGIN ' + QUOTENAME(@login) + N' WITH PASSWORD = ' + QUOTENAME(@password, '''');\nEXEC (@sql);",
    params: { login, password },
  }),

  alterLoginPassword: (login: string, password: string): MssqlStatement => ({
    sql: "DECLARE @sql nvarchar(max) = N'ALTER LOGIN ' + QUOTENAME(@login) + N' WITH PASSWORD = ' + QUOTENAME(@password, '''');\nEXEC (@sql);",
    params: { login, password },
  }),

  /** Run in the app database. */
  userExists: (user: string): MssqlStatement => ({
    sql: 'SELECT COUNT(*) AS present FROM sys.database_principals WHERE name = @user',
    params: { user },
  }),

  createUser: (user: string): MssqlStatement => ({
    sql: "DECLARE @sql nvarchar(max) = N'CREATE USER ' + QUOTENAME(@user) + N' FOR LOGIN ' + QUOTENAME(@user);\nEXEC (@sql);",
    params: { user },
  }),

  schemaPermissions: (user: string): MssqlStatement => ({
    sql: `SELECT dp.permission_name AS permission FROM sys.database_permissions dp
JOIN sys.database_principals p ON dp.grantee_principal_id = p.principal_id
WHERE p.name = @user AND dp.class = 3 AND dp.major_id = SCHEMA_ID(N'dbo') AND dp.state IN ('G', 'W')`,
    params: { user },
  }),

  /** DML on schema dbo only: no DDL, no other schema, nothing server-wide. */
  grantSchema: (user: string): MssqlStatement => ({
    sql: "DECLARE @sql nvarchar(max) = N'GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::[dbo] TO ' + QUOTENAME(@user);\nEXEC (@sql);",
    params: { user },
  }),

  /** The version table is readable through the schema-wide GRANT; DENY (which wins over it) keeps writes the admin's. */
  versionWritesDenied: (user: string): MssqlStatement => ({
    sql: `SELECT COUNT(*) AS denied FROM sys.database_permissions dp
JOIN sys.database_principals p ON dp.grantee_principal_id = p.principal_id
WHERE p.name = @user AND dp.class = 1 AND dp.major_id = OBJECT_ID(N'dbo.${SCHEMA_VERSION_TABLE}') AND dp.state = 'D'
  AND dp.permission_name IN ('INSERT', 'UPDATE', 'DELETE')`,
    params: { user },
  }),

  denyVersionWrites: (user: string): MssqlStatement => ({
    sql: `DECLARE @sql nvarchar(max) = N'DENY INSERT, UPDATE, DELETE ON OBJECT::[dbo].[${SCHEMA_VERSION_TABLE}] TO ' + QUOTENAME(@user);\nEXEC (@sql);`,
    params: { user },
  }),

  /** Tables and columns of schema dbo, for detection. */
  catalog: (): MssqlStatement => ({
    sql: `SELECT t.name AS table_name, c.name AS column_name FROM sys.tables t
JOIN sys.columns c ON c.object_id = t.object_id WHERE t.schema_id = SCHEMA_ID(N'dbo')`,
    params: {},
  }),

  /** No rows when the version table does not exist yet. */
  recordedReleases: (): MssqlStatement => ({
    sql: `IF OBJECT_ID(N'dbo.${SCHEMA_VERSION_TABLE}', N'U') IS NOT NULL
SELECT toolkit_release AS release FROM [dbo].[${SCHEMA_VERSION_TABLE}]
ELSE SELECT CAST(NULL AS nvarchar(32)) AS release WHERE 1 = 0`,
    params: {},
  }),

  recordVersion: (step: string, release: string): MssqlStatement => ({
    sql: MSSQL_RECORD_VERSION_SQL,
    params: { step, release },
  }),

  listTables: (): MssqlStatement => ({
    sql: "SELECT name FROM sys.tables WHERE schema_id = SCHEMA_ID(N'dbo')",
    params: {},
  }),
};

export const MSSQL_TABLE_PERMISSIONS = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
] as const;

/** Server facts for the probe (tables come from listTables: STRING_AGG would need SQL Server 2017). */
export const MSSQL_PROBE_SQL = `SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS version,
  CAST(SERVERPROPERTY('EngineEdition') AS int) AS engineEdition,
  CAST(DATABASEPROPERTYEX(DB_NAME(), 'Updateability') AS nvarchar(20)) AS updateability`;

/** SERVERPROPERTY('EngineEdition') values (learn.microsoft.com, SERVERPROPERTY). */
export const MSSQL_ENGINE_EDITIONS: Record<number, string> = {
  1: 'Personal or Desktop Engine',
  2: 'Standard',
  3: 'Enterprise',
  4: 'Express',
  5: 'Azure SQL Database',
  6: 'Azure Synapse Analytics',
  8: 'Azure SQL Managed Instance',
  9: 'Azure SQL Edge',
  11: 'Azure Synapse serverless SQL pool',
  12: 'Microsoft Fabric SQL database',
};
