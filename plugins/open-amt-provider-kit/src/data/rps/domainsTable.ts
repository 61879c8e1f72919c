import { sql } from '../sql';
import type { SqlDatabase } from '../dialect';
import type { SchemaColumns } from '../schemaColumns';
import type { RpsDataHost } from '../../host/rpsData';
import { EntityTable } from './entityTable';
import { domainsSpec } from './tables/domains';

/** Domains, also found by suffix (rps src/data/postgres/tables/domains.ts getDomainByDomainSuffix@v2.39.4). */
export class DomainsTable extends EntityTable {
  constructor(db: SqlDatabase, host: RpsDataHost, columns: SchemaColumns) {
    super(db, domainsSpec(host), host, columns);
  }

  async getDomainByDomainSuffix(domainSuffix: string, tenantId = '') {
    const rows = await this.rows(
      this.spec.fields,
      sql`domain_suffix = ${domainSuffix} AND tenant_id = ${tenantId}`,
    );
    return rows[0] ?? null;
  }
}
