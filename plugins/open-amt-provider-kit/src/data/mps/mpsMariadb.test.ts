/**
 * MPS's devices table on the real local MariaDB, per release schema. Cases from mps
 * src/data/postgres/tables/device.test.ts and the device routes (@v2.13.21 / @v2.34.1).
 */
import { TOOLKIT_RELEASES } from '@open-amt-backstage/plugin-open-amt-common';
import { createSchemaDatabase } from '../../__testUtils__/mariadbTestDatabase';
import {
  rejection,
  testMpsHost,
  TestMPSValidationError,
} from '../../__testUtils__/testHost';
import { createMpsMariadb } from '../mariadb/factories';

jest.setTimeout(60_000);

const guid = (n: number) =>
  `4c4c4544-004b-4210-8033-b6c04f50${String(n).padStart(4, '0')}`;
const device = (n: number, extra: Record<string, unknown> = {}) => ({
  guid: guid(n),
  hostname: `host-${n}`,
  tags: [] as string[],
  mpsInstance: null,
  connectionStatus: false,
  mpsusername: 'admin',
  tenantId: '',
  friendlyName: `friendly-${n}`,
  dnsSuffix: 'example.com',
  deviceInfo: {
    fwVersion: '16.1',
    fwBuild: '1111',
    currentMode: '0',
    ipAddress: '10.0.0.1',
  },
  ...extra,
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
  'MPS devices on MariaDB, schema of %s',
  (_id, release) => {
    let database: Awaited<ReturnType<typeof createSchemaDatabase>>;
    let db: ReturnType<typeof createMpsMariadb>;
    beforeAll(async () => {
      database = await createSchemaDatabase(release, 'mps');
      db = createMpsMariadb(database.connectionString, testMpsHost());
      await db.devices.insert(device(3, { tags: ['Lab', 'floor2'] }));
      await db.devices.insert(
        device(1, {
          tags: ['lab', 'floor2'],
          connectionStatus: true,
          mpsInstance: 'mps-a',
        }),
      );
      await db.devices.insert(
        device(2, {
          tags: ['Lab'],
          connectionStatus: true,
          mpsInstance: 'mps-a',
        }),
      );
      await db.devices.insert(
        device(4, {
          tenantId: 't2',
          tags: ['Lab'],
          mpsInstance: 'mps-a',
          connectionStatus: true,
        }),
      );
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('answers SELECT 1', async () => {
      await expect(db.query('SELECT 1')).resolves.toMatchObject({
        rowCount: 1,
      });
    });

    it('insert returns getById: timestamps included, json and arrays parsed, booleans', async () => {
      const stored = await db.devices.getById(guid(1));
      expect(stored).toEqual({
        ...device(1, {
          tags: ['lab', 'floor2'],
          connectionStatus: true,
          mpsInstance: 'mps-a',
        }),
        lastConnected: null,
        lastSeen: null,
        lastDisconnected: null,
      });
      expect(await db.devices.getById(guid(4))).toMatchObject({
        tenantId: 't2',
      }); // no tenant: guid alone
      expect(await db.devices.getById(guid(4), '')).toBeNull();
      expect(await db.devices.getById(guid(99))).toBeNull();
    });

    it('pages by guid with limit/offset (strings too), counts per tenant, connected count', async () => {
      expect((await db.devices.get(2, 1)).map(d => d.guid)).toEqual([
        guid(2),
        guid(3),
      ]);
      expect((await db.devices.get('1', '0')).map(d => d.guid)).toEqual([
        guid(1),
      ]);
      expect((await db.devices.get(25, 0))[0]).not.toHaveProperty('lastSeen'); // lists omit timestamps
      expect(await db.devices.getCount()).toBe(3);
      expect(await db.devices.getCount('t2')).toBe(1);
      expect(await db.devices.getConnectedDevices()).toBe(2);
      expect(await db.devices.getConnectedDevices('t2')).toBe(1);
    });

    it('tags: AND = has all, OR = has any, case-sensitive; distinct tags per tenant', async () => {
      const guids = (list: Array<Record<string, any>>) => list.map(d => d.guid);
      expect(
        guids(await db.devices.getByTags(['Lab', 'floor2'], 'AND', 25, 0)),
      ).toEqual([guid(3)]);
      expect(
        guids(await db.devices.getByTags(['Lab', 'floor2'], 'OR', 25, 0)),
      ).toEqual([guid(1), guid(2), guid(3)]);
      expect(guids(await db.devices.getByTags(['lab'], 'AND', 25, 0))).toEqual([
        guid(1),
      ]);
      expect(
        guids(await db.devices.getByTags(['Lab', 'floor2'], 'OR', 1, 1)),
      ).toEqual([guid(2)]);
      expect(
        guids(await db.devices.getByTags(['Lab'], 'OR', 25, 0, 't2')),
      ).toEqual([guid(4)]);
      expect(guids(await db.devices.getByTags(['LAB'], 'OR', 25, 0))).toEqual(
        [],
      );
      expect(guids(await db.devices.getByTags(['none'], 'OR', 25, 0))).toEqual(
        [],
      );
      expect((await db.devices.getDistinctTags()).sort()).toEqual([
        'Lab',
        'floor2',
        'lab',
      ]);
      expect(await db.devices.getDistinctTags('t2')).toEqual(['Lab']);
      expect(await db.devices.getDistinctTags('none')).toEqual([]);
    });

    it('by hostname and friendly name, within the tenant', async () => {
      expect(
        (await db.devices.getByHostname('host-2')).map(d => d.guid),
      ).toEqual([guid(2)]);
      expect(
        (await db.devices.getByFriendlyName('friendly-3')).map(d => d.guid),
      ).toEqual([guid(3)]);
      expect(await db.devices.getByHostname('host-4')).toEqual([]);
      expect(await db.devices.getByHostname('host-4', 't2')).toHaveLength(1);
    });

    it('duplicate guid → MPSValidationError 400 Unique key violation', async () => {
      const error = await rejection(db.devices.insert(device(1)));
      expect(error).toBeInstanceOf(TestMPSValidationError);
      expect(error.status).toBe(400);
      expect(error.name).toBe('Unique key violation');
      expect(error.message).toBe(`Device ID: ${guid(1)} already exists`);
    });

    it('update writes every column and returns the device; an unknown device → 500', async () => {
      const seen = new Date('2031-05-06T07:08:09.123Z');
      const updated = await db.devices.update({
        ...device(2),
        tags: ['x'],
        connectionStatus: false,
        lastSeen: seen,
        lastConnected: seen.toISOString(),
        lastDisconnected: null,
        deviceInfo: { fwVersion: '17' },
      });
      expect(updated).toMatchObject({
        guid: guid(2),
        tags: ['x'],
        connectionStatus: false,
        lastSeen: seen,
        lastConnected: seen,
        deviceInfo: { fwVersion: '17' },
      });
      const error = await rejection(db.devices.update(device(77)));
      expect(error).toBeInstanceOf(TestMPSValidationError);
      expect(error.status).toBe(500);
    });

    it('clearInstanceStatus frees every device of the instance (any tenant)', async () => {
      expect(await db.devices.clearInstanceStatus('mps-a')).toBe(true);
      expect(await db.devices.getConnectedDevices()).toBe(0);
      expect(await db.devices.getById(guid(4))).toMatchObject({
        mpsInstance: null,
        connectionStatus: false,
      });
    });

    it('delete: true once, false when absent or another tenant', async () => {
      expect(await db.devices.delete(guid(4))).toBe(false);
      expect(await db.devices.delete(guid(4), 't2')).toBe(true);
      expect(await db.devices.delete(guid(4), 't2')).toBe(false);
    });
  },
);
