import { joinSql, raw, sql } from '../sql';
import type { SqlDatabase } from '../dialect';
import type { RpsDataHost } from '../../host/rpsData';

/** A profile's ordered links to wireless or proxy configs (profiles_wirelessconfigs / profiles_proxyconfigs). */
export interface ChildSpec {
  table: string;
  /** column naming the linked config, and the property upstream returns it as */
  column: string;
  prop: 'profileName' | 'name';
}

export const wifiChildren: ChildSpec = {
  table: 'profiles_wirelessconfigs',
  column: 'wireless_profile_name',
  prop: 'profileName',
};

export const proxyChildren: ChildSpec = {
  table: 'profiles_proxyconfigs',
  column: 'proxy_config_name',
  prop: 'name',
};

type Link = Record<string, unknown>;

/**
 * rps src/data/postgres/tables/{profileWifiConfigs,profileProxyConfigs}.ts@v2.39.4: get ordered by priority,
 * create many rows in one INSERT (:62, pg-format) (an empty list, or any failure but a foreign key, → API_UNEXPECTED_EXCEPTION;
 * a foreign key → RPSError(engine detail, 'Foreign key constraint violation')), delete → whether rows went.
 */
export class ProfileChildren {
  constructor(
    private readonly db: SqlDatabase,
    private readonly spec: ChildSpec,
    private readonly host: RpsDataHost,
  ) {}

  private link(row: Record<string, unknown>): Link {
    return {
      priority: Number(row.priority),
      [this.spec.prop]: row[this.spec.column],
    };
  }

  async get(profileName: string, tenantId = ''): Promise<Link[]> {
    const { table, column } = this.spec;
    const r = await this.db.run(
      sql`SELECT priority, ${raw(column)} FROM ${raw(
        table,
      )} WHERE profile_name = ${profileName} AND tenant_id = ${tenantId} ORDER BY priority`,
    );
    return r.rows.map(row => this.link(row));
  }

  /** The links of several profiles of a tenant, by lower-cased profile name (profile_name is case-insensitive). */
  async ofProfiles(
    names: readonly string[],
    tenantId: string,
  ): Promise<Map<string, Link[]>> {
    const byProfile = new Map<string, Link[]>();
    if (names.length === 0) return byProfile;
    const { table, column } = this.spec;
    const list = joinSql(
      names.map(n => sql`${n}`),
      ', ',
    );
    const r = await this.db.run(
      sql`SELECT profile_name, priority, ${raw(column)} FROM ${raw(
        table,
      )} WHERE tenant_id = ${tenantId} AND profile_name IN (${list})`,
    );
    for (const row of r.rows) {
      const key = String(row.profile_name).toLowerCase();
      byProfile.set(key, [...(byProfile.get(key) ?? []), this.link(row)]);
    }
    return byProfile;
  }

  async create(
    links: readonly Link[],
    profileName: string,
    tenantId = '',
  ): Promise<boolean> {
    const { RPSError, constants } = this.host;
    if (links.length < 1)
      throw new RPSError(constants.API_UNEXPECTED_EXCEPTION(profileName));
    const { table, column } = this.spec;
    const rows = joinSql(
      links.map(
        l =>
          sql`(${l[this.spec.prop]}, ${profileName}, ${
            l.priority
          }, ${tenantId})`,
      ),
      ', ',
    );
    try {
      const r = await this.db.run(
        sql`INSERT INTO ${raw(table)} (${raw(
          column,
        )}, profile_name, priority, tenant_id) VALUES ${rows}`,
      );
      return r.rowCount > 0;
    } catch (error) {
      const e = this.db.dialect.classify(error);
      if (e.kind === 'foreign-key')
        throw new RPSError(e.detail ?? '', 'Foreign key constraint violation');
      throw new RPSError(constants.API_UNEXPECTED_EXCEPTION(profileName));
    }
  }

  async delete(profileName: string, tenantId = ''): Promise<boolean> {
    const r = await this.db.run(
      sql`DELETE FROM ${raw(
        this.spec.table,
      )} WHERE profile_name = ${profileName} AND tenant_id = ${tenantId}`,
    );
    return r.rowCount > 0;
  }
}
