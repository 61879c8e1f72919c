import { sql, raw } from '../sql';
import type { SqlDatabase } from '../dialect';
import { encode } from '../columns';
import { decodeRows, insertParts, selectList, setList } from '../select';
import type { SchemaColumns } from '../schemaColumns';
import type { RpsDataHost } from '../../host/rpsData';
import type { EntitySpec } from './entitySpec';

type Item = Record<string, any>;

/**
 * The ITable operations every RPS configuration table shares (rps src/interfaces/database/ITable.ts), with the
 * behaviour of the postgres tables: tenant '' by default, not found → null / false, duplicates and in-use
 * deletes → RPSError with upstream's messages, stale `version` → RPSError(CONCURRENCY_MESSAGE,
 * CONCURRENCY_EXCEPTION, latest item) (e.g. rps src/data/postgres/tables/ciraConfigs.ts@v2.39.4).
 */
export class EntityTable<T extends Item = Item> {
  constructor(
    protected readonly db: SqlDatabase,
    protected readonly spec: EntitySpec,
    protected readonly host: RpsDataHost,
    protected readonly columns: SchemaColumns,
  ) {}

  protected get d() {
    return this.db.dialect;
  }

  protected async rows(
    fields: EntitySpec['fields'],
    where: ReturnType<typeof sql>,
    page?: [number, number],
  ) {
    const present = await this.columns.present(this.spec.table, fields);
    const tail = page
      ? sql` ORDER BY ${raw(this.spec.key.column)} ${this.d.page(...page)}`
      : sql``;
    const result = await this.db.run(
      sql`SELECT ${selectList(this.d, present)} FROM ${raw(
        this.spec.table,
      )} WHERE ${where}${tail}`,
    );
    return decodeRows(present, result.rows) as T[];
  }

  protected whereKey(name: string, tenantId: string) {
    return sql`${raw(
      this.spec.key.column,
    )} = ${name} AND tenant_id = ${tenantId}`;
  }

  async getCount(tenantId = ''): Promise<number> {
    const r = await this.db.run(
      sql`SELECT COUNT(*) AS total_count FROM ${raw(
        this.spec.table,
      )} WHERE tenant_id = ${tenantId}`,
    );
    return Number(r.rows[0]?.total_count ?? 0);
  }

  async get(top?: number, skip?: number, tenantId = ''): Promise<T[]> {
    const { DEFAULT_TOP, DEFAULT_SKIP } = this.host.constants;
    // every list is ordered by its key (ieee8021xProfiles.ts:65 pages without ORDER BY; OFFSET … FETCH needs one)
    return this.rows(
      this.spec.listFields ?? this.spec.fields,
      sql`tenant_id = ${tenantId}`,
      [Number(top ?? DEFAULT_TOP), Number(skip ?? DEFAULT_SKIP)],
    );
  }

  async getByName(name: string, tenantId = ''): Promise<T | null> {
    const rows = await this.rows(
      this.spec.fields,
      this.whereKey(name, tenantId),
    );
    return rows[0] ?? null;
  }

  async checkProfileExits(name: string, tenantId = ''): Promise<boolean> {
    const r = await this.db.run(
      sql`SELECT 1 AS found FROM ${raw(this.spec.table)} WHERE ${this.whereKey(
        name,
        tenantId,
      )}`,
    );
    return r.rowCount > 0;
  }

  async delete(name: string, tenantId = ''): Promise<boolean> {
    const guard = this.spec.deleteGuard;
    if (guard) {
      const users = await this.db.run(
        sql`SELECT 1 AS found FROM ${raw(guard.table)} WHERE ${raw(
          guard.column,
        )} = ${name} AND tenant_id = ${tenantId}`,
      );
      if (users.rowCount > 0) throw guard.error(name);
    }
    try {
      const r = await this.db.run(
        sql`DELETE FROM ${raw(this.spec.table)} WHERE ${this.whereKey(
          name,
          tenantId,
        )}`,
      );
      return r.rowCount > 0;
    } catch (error) {
      if (!this.spec.deleteError) throw error;
      this.host.logger?.error(`${this.spec.table}: delete failed`);
      throw this.spec.deleteError(this.d.classify(error), name);
    }
  }

  async insert(item: T): Promise<T | null> {
    const name = item[this.spec.key.prop];
    const fields = await this.columns.present(
      this.spec.table,
      this.spec.insert,
    );
    const values = this.spec.creationDate
      ? { ...item, creationDate: new Date() }
      : item;
    const written = this.spec.creationDate
      ? [
          ...fields,
          {
            prop: 'creationDate',
            column: 'creation_date',
            kind: 'date' as const,
          },
        ]
      : fields;
    try {
      const r = await this.db.run(
        sql`INSERT INTO ${raw(this.spec.table)} ${insertParts(
          written,
          values,
        )}`,
      );
      if (r.rowCount === 0) return null;
    } catch (error) {
      this.host.logger?.error(`${this.spec.table}: insert failed`);
      throw this.spec.insertError(this.d.classify(error), name);
    }
    return this.getByName(name, item.tenantId);
  }

  /** UPDATE … WHERE key, tenant [, version]; 0 rows → the concurrency error with the row as it is now. */
  async update(item: T): Promise<T | null> {
    const name = item[this.spec.key.prop];
    let latest: T | null;
    try {
      const updated = await this.runUpdate(item);
      latest = await this.getByName(name, item.tenantId);
      if (updated) return latest;
    } catch (error) {
      this.host.logger?.error(`${this.spec.table}: update failed`);
      throw this.spec.updateError(this.d.classify(error), name);
    }
    const { RPSError, constants } = this.host;
    throw new RPSError(
      constants.CONCURRENCY_MESSAGE,
      constants.CONCURRENCY_EXCEPTION,
      latest,
    );
  }

  protected async runUpdate(item: T): Promise<boolean> {
    const fields = await this.columns.present(
      this.spec.table,
      this.spec.update,
    );
    const bump = this.spec.versioned
      ? this.d.versionBump(
          this.spec.fields.find(f => f.kind === 'version')!.column,
        )
      : null;
    const versionColumn = this.spec.fields.find(
      f => f.kind === 'version',
    )?.column;
    const set = bump
      ? sql`${setList(fields, item)}, ${bump}`
      : setList(fields, item);
    const where = this.spec.versioned
      ? sql`${this.whereKey(
          item[this.spec.key.prop],
          item.tenantId,
        )} AND ${this.d.versionRead(versionColumn!)} = ${encode(
          'version',
          item.version,
        )}`
      : this.whereKey(item[this.spec.key.prop], item.tenantId);
    const r = await this.db.run(
      sql`UPDATE ${raw(this.spec.table)} SET ${set} WHERE ${where}`,
    );
    return r.rowCount > 0;
  }
}
