import { createMssqlFamilyAdapter } from './mssqlFamily';

/**
 * Azure SQL Database. Same T-SQL as SQL Server; the family already avoids what Azure SQL lacks (USE,
 * CHECK_POLICY on CREATE LOGIN, multi-statement CREATE DATABASE batches). Always encrypted in practice.
 */
export const azureSqlAdapter = createMssqlFamilyAdapter({
  provider: 'azure-sql',
  label: 'Azure SQL Database',
});
