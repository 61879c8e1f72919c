/**
 * AMT profiles with their links on the real local MariaDB, per release: the object must be the one upstream's
 * postgres provider composes (rps src/data/postgres/tables/profiles.ts getByName@v2.22.14 / @v2.39.4).
 */
import { TOOLKIT_RELEASES } from '@open-amt-backstage/plugin-open-amt-common';
import {
  createSchemaDatabase,
  rootQuery,
} from '../../__testUtils__/mariadbTestDatabase';
import {
  rejection,
  testRpsHost,
  TestRPSError,
} from '../../__testUtils__/testHost';
import { createRpsMariadb } from '../mariadb/factories';
import { mariadbDatabase } from '../mariadb/database';
import { createRpsDb } from './rpsDb';

jest.setTimeout(60_000);

/** The select list of upstream's getByName, in order, per RPS release (profiles.ts:124-150@v2.39.4). */
const V2_22_KEYS = [
  'profileName',
  'activation',
  'ciraConfigName',
  'generateRandomPassword',
  'generateRandomMEBxPassword',
  'tags',
  'dhcpEnabled',
  'tlsMode',
  'userConsent',
  'iderEnabled',
  'kvmEnabled',
  'solEnabled',
  'tenantId',
  'tlsSigningAuthority',
  'version',
  'ieee8021xProfileName',
  'wifiConfigs',
  'ipSyncEnabled',
  'localWifiSyncEnabled',
];
const V2_39_KEYS = [...V2_22_KEYS, 'uefiWifiSyncEnabled', 'proxyConfigs'];

const RELEASES = [
  { id: 'v2.26.0', keys: V2_22_KEYS, proxies: false },
  { id: 'v2.37.0', keys: V2_39_KEYS, proxies: true },
];

const profile = (name: string, extra: Record<string, unknown> = {}) => ({
  profileName: name,
  activation: 'acmactivate',
  amtPassword: 'Amt-P@ss1',
  generateRandomPassword: false,
  ciraConfigName: null,
  mebxPassword: 'Mebx-P@ss1',
  generateRandomMEBxPassword: false,
  tags: ['Lab', 'lab', 'floor 2'],
  dhcpEnabled: true,
  tlsMode: 2,
  userConsent: 'None',
  iderEnabled: true,
  kvmEnabled: true,
  solEnabled: false,
  tenantId: '',
  tlsSigningAuthority: 'SelfSigned',
  ieee8021xProfileName: null,
  ipSyncEnabled: true,
  localWifiSyncEnabled: false,
  uefiWifiSyncEnabled: true,
  ...extra,
});

const wifi = (name: string) => ({
  profileName: name,
  authenticationMethod: 4,
  encryptionMethod: 3,
  ssid: name,
  pskValue: null,
  pskPassphrase: 'secret-pass',
  linkPolicy: [14],
  tenantId: '',
  ieee8021xProfileName: null,
});

describe.each(RELEASES)(
  'profiles on MariaDB, schema of $id',
  ({ id, keys, proxies }) => {
    const release = TOOLKIT_RELEASES.find(r => r.id === id)!;
    let database: Awaited<ReturnType<typeof createSchemaDatabase>>;
    let db: ReturnType<typeof createRpsMariadb>;
    beforeAll(async () => {
      database = await createSchemaDatabase(release, 'rps');
      db = createRpsMariadb(database.connectionString, testRpsHost());
      for (const name of ['wb', 'wa', 'wc'])
        await db.wirelessProfiles.insert(wifi(name));
      if (proxies)
        for (const name of ['xb', 'xa'])
          await db.proxyConfigs.insert({
            name,
            address: `${name}.example.com`,
            infoFormat: 201,
            port: 8080,
            networkDnsSuffix: 'example.com',
            tenantId: '',
          });
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('round-trips a profile with links into the object upstream composes', async () => {
      const input = profile('p1', {
        wifiConfigs: [
          { profileName: 'wb', priority: 2 },
          { profileName: 'wa', priority: 1 },
          { profileName: 'wc', priority: 3 },
        ],
        ...(proxies
          ? {
              proxyConfigs: [
                { name: 'xb', priority: 1 },
                { name: 'xa', priority: 2 },
              ],
            }
          : {}),
      });
      const stored = (await db.profiles.insert(input))!;
      expect(Object.keys(stored)).toEqual(keys);
      const { amtPassword, mebxPassword, ...visible } = input; // never read back (not in upstream's select)
      expect(stored).toEqual({
        ...visible,
        ...(proxies ? {} : { uefiWifiSyncEnabled: undefined }),
        version: expect.stringMatching(/^\d+$/),
        // wifi links by priority (jsonb_agg DISTINCT of {priority, profileName}); proxy links by name
        wifiConfigs: [
          { profileName: 'wa', priority: 1 },
          { profileName: 'wb', priority: 2 },
          { profileName: 'wc', priority: 3 },
        ],
        ...(proxies
          ? {
              proxyConfigs: [
                { name: 'xa', priority: 2 },
                { name: 'xb', priority: 1 },
              ],
            }
          : {}),
      });
      expect(await db.profiles.getByName('P1')).toEqual(stored);
      const [row] = await rootQuery(
        database.name,
        'SELECT amt_password, mebx_password FROM profiles WHERE profile_name = ?',
        ['p1'],
      );
      expect(row).toEqual({
        amt_password: 'Amt-P@ss1',
        mebx_password: 'Mebx-P@ss1',
      });
    });

    it('a profile without links has [] (and null tags stay null)', async () => {
      const stored = (await db.profiles.insert(profile('p0', { tags: null })))!;
      expect(stored.wifiConfigs).toEqual([]);
      expect(stored.tags).toBeNull();
      expect(stored.proxyConfigs).toEqual(proxies ? [] : undefined);
      const list = await db.profiles.get(25, 0);
      expect(list.map(p => [p.profileName, p.wifiConfigs.length])).toEqual([
        ['p0', 0],
        ['p1', 3],
      ]);
      expect(await db.profiles.getCount()).toBe(2);
    });

    it('the link tables answer as upstream: ordered by priority, empty create refused', async () => {
      expect(
        await db.profileWirelessConfigs.getProfileWifiConfigs('p1'),
      ).toEqual([
        { priority: 1, profileName: 'wa' },
        { priority: 2, profileName: 'wb' },
        { priority: 3, profileName: 'wc' },
      ]);
      const empty = await rejection(
        db.profileWirelessConfigs.createProfileWifiConfigs([], 'p1'),
      );
      expect(empty.message).toBe('API_UNEXPECTED_EXCEPTION(p1)');
    });

    it('duplicate profile → PROFILE_INSERTION_FAILED_DUPLICATE', async () => {
      const error = await rejection(db.profiles.insert(profile('P1')));
      expect(error).toBeInstanceOf(TestRPSError);
      expect(error.message).toBe('PROFILE_INSERTION_FAILED_DUPLICATE(P1)');
      expect(error.name).toBe('Unique key violation');
    });

    it('missing CIRA config: GENERIC on insert, CIRA constraint on update', async () => {
      const insert = await rejection(
        db.profiles.insert(profile('p2', { ciraConfigName: 'nocira' })),
      );
      expect(insert.message).toBe(
        'PROFILE_INSERTION_GENERIC_CONSTRAINT(nocira)',
      );
      expect(insert.name).toMatch(/^Foreign key constraint violation: /);
      const p0 = (await db.profiles.getByName('p0'))!;
      const update = await rejection(
        db.profiles.update({ ...p0, ciraConfigName: 'nocira' }),
      );
      expect(update.message).toBe('PROFILE_INSERTION_CIRA_CONSTRAINT(nocira)');
      expect(update.name).toBe('Foreign key constraint violation');
    });

    it('missing wireless link: RPSError with the engine detail; the profile row stays (no transaction upstream)', async () => {
      const error = await rejection(
        db.profiles.insert(
          profile('p3', {
            wifiConfigs: [{ profileName: 'nowifi', priority: 1 }],
          }),
        ),
      );
      expect(error).toBeInstanceOf(TestRPSError);
      expect(error.name).toBe('Foreign key constraint violation');
      expect(error.message).toMatch(/wirelessconfigs/);
      expect(await db.profiles.getByName('p3')).toMatchObject({
        profileName: 'p3',
        wifiConfigs: [],
      });
    });

    it('update with the current version replaces the row and adds links; a stale version → Concurrency + latest', async () => {
      const p0 = (await db.profiles.getByName('p0'))!;
      const updated = (await db.profiles.update({
        ...p0,
        tlsMode: 4,
        wifiConfigs: [{ profileName: 'wc', priority: 1 }],
      }))!;
      expect(updated).toMatchObject({
        tlsMode: 4,
        wifiConfigs: [{ profileName: 'wc', priority: 1 }],
      });
      expect(updated.version).not.toBe(p0.version);
      const stale = await rejection(db.profiles.update({ ...p0, tlsMode: 1 }));
      expect(stale.name).toBe('Concurrency');
      expect(stale.item).toEqual(updated);
    });

    it('delete removes the links first; false when absent', async () => {
      expect(await db.profiles.delete('p1')).toBe(true);
      expect(
        await db.profileWirelessConfigs.getProfileWifiConfigs('p1'),
      ).toEqual([]);
      expect(await db.profiles.delete('p1')).toBe(false);
      expect(await db.wirelessProfiles.delete('wa')).toBe(true);
    });

    it('injected defect: a dialect that does not move the version lets a stale update through', async () => {
      const plain = mariadbDatabase(database.connectionString);
      const broken = createRpsDb(
        { ...plain, dialect: { ...plain.dialect, versionBump: () => null } },
        testRpsHost(),
      );
      try {
        await broken.ciraConfigs.insert({
          configName: 'cx',
          mpsServerAddress: 'a',
          mpsPort: 1,
          username: 'u',
          password: 'p',
          commonName: 'a',
          serverAddressFormat: 3,
          authMethod: 2,
          mpsRootCertificate: 'c',
          proxyDetails: '',
          tenantId: '',
        });
        const v = (await broken.ciraConfigs.getByName('cx'))!;
        await broken.ciraConfigs.update({ ...v, mpsPort: 2 });
        // the defect: the stale write succeeds, which the conflict tests above would catch
        await expect(
          broken.ciraConfigs.update({ ...v, mpsPort: 3 }),
        ).resolves.toMatchObject({ mpsPort: 3 });
        // the real provider refuses the same sequence
        const w = (await db.ciraConfigs.getByName('cx'))!;
        await db.ciraConfigs.update({ ...w, mpsPort: 4 });
        expect(
          (await rejection(db.ciraConfigs.update({ ...w, mpsPort: 5 }))).name,
        ).toBe('Concurrency');
      } finally {
        await broken.close();
      }
    });
  },
);
