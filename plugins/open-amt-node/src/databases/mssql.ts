import type { DatabaseAdapter } from '../types';
import { createMssqlFamilyAdapter } from './mssqlFamily';

/** Microsoft SQL Server (2016 or later: ISJSON, NONCLUSTERED keys up to 1700 bytes). Custom MPS/RPS provider. */
export const mssqlAdapter: DatabaseAdapter = createMssqlFamilyAdapter({
  provider: 'mssql',
  label: 'SQL Server',
});
