import type { DatabaseAdapter } from '../types';
import { createMssqlFamilyAdapter } from './mssqlFamily';

/**
 * Azure SQL Database. Same T-SQL as SQL Server; the family already avoids what Azure SQL lacks (USE,
 * CHECK_POLICY on CREATE LOGIN, multi-statement CREATE DATABASE batches). Always encrypted in practice.
 */
export const azureSqlAdapter: DatabaseAdapter = createMssqlFamilyAdapter({
  provider: 'azure-sql',
  label: 'Azure SQL Database',
});
