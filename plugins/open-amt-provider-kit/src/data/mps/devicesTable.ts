import { sql, type Sql } from '../sql';
import type { SqlDatabase } from '../dialect';
import type { Field } from '../columns';
import { decodeRows, insertParts, selectList, setList } from '../select';
import type { MpsDataHost } from '../../host/mpsData';

type Device = Record<string, any>;

const f = (
  prop: string,
  column: string,
  kind: Field['kind'] = 'text',
): Field => ({ prop, column, kind });
const guid = f('guid', 'guid', 'uuid');
const hostname = f('hostname', 'hostname');
const tags = f('tags', 'tags', 'array');
const instance = f('mpsInstance', 'mpsinstance');
const status = f('connectionStatus', 'connectionstatus', 'bool');
const user = f('mpsusername', 'mpsusername');
const tenant = f('tenantId', 'tenantid');
const friendly = f('friendlyName', 'friendlyname');
const suffix = f('dnsSuffix', 'dnssuffix');
const info = f('deviceInfo', 'deviceinfo', 'json');
const times = [
  f('lastConnected', 'lastconnected', 'date'),
  f('lastSeen', 'lastseen', 'date'),
  f('lastDisconnected', 'lastdisconnected', 'date'),
];

/** mps src/data/postgres/tables/device.ts@v2.34.1: lists omit the timestamps, getById has them. */
const LIST = [
  guid,
  hostname,
  tags,
  instance,
  status,
  user,
  tenant,
  friendly,
  suffix,
  info,
];
const ONE = [
  guid,
  hostname,
  tags,
  instance,
  status,
  user,
  tenant,
  friendly,
  suffix,
  ...times,
  info,
];
/** Insert writes the list's columns (device.ts insert@v2.34.1). */
const INSERT = LIST;
const UPDATE = [
  tags,
  hostname,
  instance,
  status,
  user,
  friendly,
  suffix,
  ...times,
  info,
];

/**
 * MPS's devices table (mps src/interfaces/IDeviceTable.ts) with the postgres provider's behaviour: tenant '' by
 * default, AND = the device has every tag, OR = any tag, duplicates → MPSValidationError 400, other failures 500.
 */
export class DevicesTable {
  constructor(
    private readonly db: SqlDatabase,
    private readonly host: MpsDataHost,
  ) {}

  private get d() {
    return this.db.dialect;
  }

  private async select(
    fields: Field[],
    where: Sql,
    page?: [unknown, unknown],
  ): Promise<Device[]> {
    const { DefaultTop, DefaultSkip } = this.host.constants;
    const tail = page
      ? sql` ORDER BY guid ${this.d.page(
          Number(page[0] ?? DefaultTop),
          Number(page[1] ?? DefaultSkip),
        )}`
      : sql``;
    const r = await this.db.run(
      sql`SELECT ${selectList(
        this.d,
        fields,
      )} FROM devices WHERE ${where}${tail}`,
    );
    return decodeRows(fields, r.rows);
  }

  private async count(where: Sql): Promise<number> {
    const r = await this.db.run(
      sql`SELECT COUNT(*) AS n FROM devices WHERE ${where}`,
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  getCount(tenantId = '') {
    return this.count(sql`tenantid = ${tenantId}`);
  }

  getConnectedDevices(tenantId = '') {
    return this.count(
      sql`tenantid = ${tenantId} AND connectionstatus = ${true}`,
    );
  }

  get(limit?: number | string, offset?: number | string, tenantId = '') {
    return this.select(LIST, sql`tenantid = ${tenantId}`, [limit, offset]);
  }

  /** device.ts:107@v2.34.1: without a tenant the guid alone is looked up (insert and update read back this way). */
  async getById(id: string, tenantId?: string): Promise<Device | null> {
    const where =
      tenantId === undefined || tenantId === null
        ? sql`guid = ${id}`
        : sql`guid = ${id} AND tenantid = ${tenantId}`;
    return (await this.select(ONE, where))[0] ?? null;
  }

  getByHostname(name: string, tenantId = '') {
    return this.select(
      LIST,
      sql`hostname = ${name} AND tenantid = ${tenantId}`,
    );
  }

  getByFriendlyName(name: string, tenantId = '') {
    return this.select(
      LIST,
      sql`friendlyname = ${name} AND tenantid = ${tenantId}`,
    );
  }

  /** device.ts:183 / :209@v2.34.1: 'AND' → tags @> $1, anything else → tags && $1. */
  getByTags(
    tagList: string[],
    method: string,
    top?: number | string,
    skip?: number | string,
    tenantId = '',
  ) {
    const match =
      method === 'AND'
        ? this.d.containsAll('tags', tagList)
        : this.d.containsAny('tags', tagList);
    return this.select(LIST, sql`${match} AND tenantid = ${tenantId}`, [
      top,
      skip,
    ]);
  }

  async getDistinctTags(tenantId = ''): Promise<string[]> {
    const r = await this.db.run(
      this.d.distinctElements('devices', 'tags', sql`tenantid = ${tenantId}`),
    );
    return r.rows.map(row => String(row.tag));
  }

  /** device.ts:264@v2.34.1: 23505 → 400 */
  async insert(device: Device): Promise<Device | null> {
    const { MPSValidationError } = this.host;
    try {
      const r = await this.db.run(
        sql`INSERT INTO devices ${insertParts(INSERT, device)}`,
      );
      if (r.rowCount > 0) return await this.getById(device.guid);
      return null;
    } catch (error) {
      this.host.logger?.error(`devices: insert failed: ${device.guid}`);
      if (this.d.classify(error).kind === 'unique')
        throw new MPSValidationError(
          `Device ID: ${device.guid} already exists`,
          400,
          'Unique key violation',
        );
      throw new MPSValidationError(
        `Failed to insert device: ${device.guid}, error: ${error}`,
        500,
      );
    }
  }

  /** device.ts:303-306@v2.34.1: no row updated is a failure too, reported as 500 like any other. */
  async update(device: Device): Promise<Device | null> {
    const { MPSValidationError } = this.host;
    try {
      const r = await this.db.run(
        sql`UPDATE devices SET ${setList(UPDATE, device)} WHERE guid = ${
          device.guid
        } AND tenantid = ${device.tenantId}`,
      );
      if (r.rowCount > 0) return await this.getById(device.guid);
      throw new MPSValidationError(
        `Failed to update device: ${device.guid}`,
        400,
      );
    } catch (error) {
      this.host.logger?.error(`devices: update failed: ${device.guid}`);
      throw new MPSValidationError(
        `Failed to update device: ${device.guid}, error: ${error}`,
        500,
      );
    }
  }

  /**
   * device.ts:315-321@v2.34.1: every device the instance held, whatever the tenant. v2.13.21 (device.ts:313-319)
   * filtered `tenantId = ''`, but its only caller (src/index.ts:135) passes no tenant; given one, we filter by it.
   */
  async clearInstanceStatus(
    mpsInstance: string,
    tenantId?: string,
  ): Promise<boolean> {
    const tenantFilter =
      tenantId === undefined ? sql`` : sql` AND tenantid = ${tenantId}`;
    try {
      await this.db.run(
        sql`UPDATE devices SET mpsinstance = ${null}, connectionstatus = ${false} WHERE mpsinstance = ${mpsInstance}${tenantFilter}`,
      );
      return true;
    } catch {
      this.host.logger?.error('devices: clearing the instance status failed');
      return false;
    }
  }

  async delete(id: string, tenantId = ''): Promise<boolean> {
    const r = await this.db.run(
      sql`DELETE FROM devices WHERE guid = ${id} AND tenantid = ${tenantId}`,
    );
    return r.rowCount > 0;
  }
}
