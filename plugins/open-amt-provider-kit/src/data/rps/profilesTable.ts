import type { SqlDatabase } from '../dialect';
import { sql } from '../sql';
import { insertParts } from '../select';
import type { SchemaColumns } from '../schemaColumns';
import type { RpsDataHost } from '../../host/rpsData';
import { EntityTable } from './entityTable';
import { profilesSpec } from './tables/profiles';
import type { ProfileChildren } from './profileChildren';

type Profile = Record<string, any>;
type Link = Record<string, unknown>;

const byPriorityThenName = (prop: string) => (a: Link, b: Link) =>
  Number(a.priority) - Number(b.priority) ||
  String(a[prop]).localeCompare(String(b[prop]));
const byNameThenPriority = (a: Link, b: Link) =>
  String(a.name).localeCompare(String(b.name)) ||
  Number(a.priority) - Number(b.priority);

/**
 * AMT profiles with their wireless (and, from v2.39.4, proxy) links, composed as upstream's aggregate does:
 * `wifiConfigs` [{profileName, priority}] and `proxyConfigs` [{name, priority}], [] when none
 * (rps src/data/postgres/tables/profiles.ts:79-83@v2.39.4: jsonb_agg(DISTINCT …), which orders wifi links by
 * priority and proxy links by name). Inserts and updates write the links after the row, without a transaction,
 * as upstream does (:225-302, :309-380).
 */
export class ProfilesTable extends EntityTable<Profile> {
  constructor(
    db: SqlDatabase,
    host: RpsDataHost,
    columns: SchemaColumns,
    private readonly wifi: ProfileChildren,
    private readonly proxy: ProfileChildren,
    private readonly lookups: {
      cira(name: string, tenantId?: string): Promise<unknown>;
      ieee8021x(name: string, tenantId?: string): Promise<unknown>;
    },
  ) {
    super(db, profilesSpec(host), host, columns);
  }

  private hasProxy = () => this.columns.hasTable('profiles_proxyconfigs');

  private async compose(
    profiles: Profile[],
    tenantId: string,
  ): Promise<Profile[]> {
    const names = profiles.map(p => String(p.profileName));
    const wifi = await this.wifi.ofProfiles(names, tenantId);
    const proxy = (await this.hasProxy())
      ? await this.proxy.ofProfiles(names, tenantId)
      : undefined;
    return profiles.map(p => {
      const key = String(p.profileName).toLowerCase();
      const {
        ipSyncEnabled,
        localWifiSyncEnabled,
        uefiWifiSyncEnabled,
        ...head
      } = p;
      return {
        ...head,
        wifiConfigs: (wifi.get(key) ?? []).sort(
          byPriorityThenName('profileName'),
        ),
        ipSyncEnabled,
        localWifiSyncEnabled,
        ...('uefiWifiSyncEnabled' in p ? { uefiWifiSyncEnabled } : {}),
        ...(proxy
          ? { proxyConfigs: (proxy.get(key) ?? []).sort(byNameThenPriority) }
          : {}),
      };
    });
  }

  async get(top?: number, skip?: number, tenantId = ''): Promise<Profile[]> {
    return this.compose(await super.get(top, skip, tenantId), tenantId);
  }

  async getByName(name: string, tenantId = ''): Promise<Profile | null> {
    const row = await super.getByName(name, tenantId);
    return row ? (await this.compose([row], tenantId))[0] : null;
  }

  getCiraConfigForProfile(name: string, tenantId?: string) {
    return this.lookups.cira(name, tenantId);
  }

  get8021XConfigForProfile(name: string, tenantId?: string) {
    return this.lookups.ieee8021x(name, tenantId);
  }

  /** profiles.ts:198-214: the links go first, then the profile. */
  async delete(name: string, tenantId = ''): Promise<boolean> {
    await this.wifi.delete(name, tenantId);
    if (await this.hasProxy()) await this.proxy.delete(name, tenantId);
    return super.delete(name, tenantId);
  }

  private async writeLinks(p: Profile) {
    if (p.wifiConfigs?.length > 0)
      await this.wifi.create(p.wifiConfigs, p.profileName, p.tenantId);
    const proxies = p.proxyConfigs ?? [];
    if (proxies.length > 0)
      await this.proxy.create(proxies, p.profileName, p.tenantId);
  }

  /** profiles.ts:225-302 (:288 rethrows RPSError): links after the row; an RPSError from a link goes up unchanged, a missing cira/802.1x is GENERIC. */
  async insert(p: Profile): Promise<Profile | null> {
    const { RPSError, constants: c } = this.host;
    try {
      const fields = await this.columns.present('profiles', this.spec.insert);
      const r = await this.db.run(
        sql`INSERT INTO profiles ${insertParts(fields, p)}`,
      );
      if (r.rowCount === 0) return null;
      await this.writeLinks(p);
      return await this.getByName(p.profileName, p.tenantId);
    } catch (error) {
      if (error instanceof RPSError) throw error;
      this.host.logger?.error('profiles: insert failed');
      const e = this.d.classify(error);
      if (e.kind === 'foreign-key')
        throw new RPSError(
          c.PROFILE_INSERTION_GENERIC_CONSTRAINT(p.ciraConfigName ?? ''),
          `Foreign key constraint violation: ${e.detail ?? ''}`,
        );
      throw this.spec.insertError(e, p.profileName);
    }
  }

  /** profiles.ts:309-380: a missing CIRA config is named (:371 tests the constraint profiles_cira_config_name_fkey). */
  async update(p: Profile): Promise<Profile | null> {
    const { RPSError, constants: c } = this.host;
    let latest: Profile | null;
    try {
      if (await this.runUpdate(p)) {
        await this.writeLinks(p);
        return await this.getByName(p.profileName, p.tenantId);
      }
      latest = await this.getByName(p.profileName, p.tenantId);
    } catch (error) {
      this.host.logger?.error('profiles: update failed');
      const e = this.d.classify(error);
      if (e.kind === 'foreign-key' && e.referenced === 'ciraconfigs')
        throw new RPSError(
          c.PROFILE_INSERTION_CIRA_CONSTRAINT(p.ciraConfigName ?? ''),
          'Foreign key constraint violation',
        );
      throw new RPSError(c.API_UNEXPECTED_EXCEPTION(p.profileName));
    }
    throw new RPSError(c.CONCURRENCY_MESSAGE, c.CONCURRENCY_EXCEPTION, latest);
  }
}
