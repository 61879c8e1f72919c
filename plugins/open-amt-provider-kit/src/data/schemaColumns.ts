import type { SqlDatabase } from './dialect';
import type { Field } from './columns';

/**
 * One provider serves both releases of its service, whose schemas differ (RPS v2.39.4 adds proxy tables and
 * profiles.uefi_wifi_sync_enabled). The columns a table really has are read once; optional fields are used when
 * present, so each release gets the object shape its own postgres provider builds.
 */
export class SchemaColumns {
  private readonly cache = new Map<string, Promise<Set<string>>>();

  constructor(private readonly db: SqlDatabase) {}

  of(table: string): Promise<Set<string>> {
    let columns = this.cache.get(table);
    if (!columns) {
      columns = this.db
        .run(this.db.dialect.columnsOf(table))
        .then(r => new Set(r.rows.map(row => String(row.name).toLowerCase())));
      columns.catch(() => this.cache.delete(table)); // a failed look-up is retried
      this.cache.set(table, columns);
    }
    return columns;
  }

  async present<F extends Field>(
    table: string,
    fields: readonly F[],
  ): Promise<F[]> {
    if (!fields.some(f => f.optional)) return [...fields];
    const columns = await this.of(table);
    return fields.filter(f => !f.optional || columns.has(f.column));
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.of(table)).size > 0;
  }
}
