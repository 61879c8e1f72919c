import type { QueryResult, SqlDatabase } from '../dialect';
import type { MpsDataHost } from '../../host/mpsData';
import { DevicesTable } from './devicesTable';

/** An object shaped like MPS's IDB (mps src/interfaces/IDb.ts: devices + query) over any SQL dialect. */
export function createMpsDb(db: SqlDatabase, host: MpsDataHost) {
  return {
    devices: new DevicesTable(db, host),
    /** upstream callers: src/index.ts and routes/health/get.ts send `SELECT 1` */
    query: (text: string, params?: unknown[]): Promise<QueryResult> =>
      db.query(text, params),
    close: () => db.close(),
  };
}

export type MpsDb = ReturnType<typeof createMpsDb>;
