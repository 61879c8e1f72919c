/**
 * RPS configuration tables on the real local MariaDB, for each supported release's schema. Cases from upstream's
 * postgres table tests and routes (rps src/data/postgres/tables/*.test.ts, src/routes/admin/**@v2.22.14/v2.39.4).
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

jest.setTimeout(60_000);

const cira = (name: string, tenantId = '') => ({
  configName: name,
  mpsServerAddress: '192.168.1.2',
  mpsPort: 4433,
  username: 'admin',
  password: 'P@ssw0rd',
  commonName: '192.168.1.2',
  serverAddressFormat: 3,
  authMethod: 2,
  mpsRootCertificate: 'cert',
  proxyDetails: '',
  tenantId,
});

describe.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
  'RPS tables on MariaDB, schema of %s',
  (_id, release) => {
    let database: Awaited<ReturnType<typeof createSchemaDatabase>>;
    let db: ReturnType<typeof createRpsMariadb>;
    beforeAll(async () => {
      database = await createSchemaDatabase(release, 'rps');
      db = createRpsMariadb(database.connectionString, testRpsHost());
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('answers the health check query (SELECT 1)', async () => {
      await expect(db.query('SELECT 1')).resolves.toMatchObject({
        rowCount: 1,
      });
    });

    it('pages with top/skip in key order, counts per tenant, defaults to tenant ""', async () => {
      for (const name of ['c3', 'c1', 'c2'])
        await db.ciraConfigs.insert(cira(name));
      await db.ciraConfigs.insert(cira('other', 't2'));
      expect(await db.ciraConfigs.getCount()).toBe(3);
      expect(await db.ciraConfigs.getCount('t2')).toBe(1);
      expect(await db.ciraConfigs.getCount('none')).toBe(0);
      const page = await db.ciraConfigs.get(2, 1);
      expect(page.map(c => c.configName)).toEqual(['c2', 'c3']);
      expect(
        (await db.ciraConfigs.get(25, 0, 't2')).map(c => c.configName),
      ).toEqual(['other']);
      expect(await db.ciraConfigs.get()).toHaveLength(3);
      expect(await db.ciraConfigs.getByName('other')).toBeNull();
    });

    it('returns the object upstream selects, typed as pg returns it (ints, version as text)', async () => {
      const item = await db.ciraConfigs.getByName('c1');
      expect(item).toEqual({
        ...cira('c1'),
        version: expect.stringMatching(/^\d+$/),
      });
      // citext: names match whatever their case (the column's case-insensitive collation)
      expect((await db.ciraConfigs.getByName('C1'))?.configName).toBe('c1');
    });

    it('refuses a duplicate with the host error and upstream message', async () => {
      const error = await rejection(db.ciraConfigs.insert(cira('C1')));
      expect(error).toBeInstanceOf(TestRPSError);
      expect(error.message).toBe('CIRA_CONFIG_INSERTION_FAILED_DUPLICATE(C1)');
      expect(error.name).toBe('Unique key violation');
    });

    it('updates with the current version and moves the version on', async () => {
      const before = (await db.ciraConfigs.getByName('c1'))!;
      const after = await db.ciraConfigs.update({ ...before, mpsPort: 4434 });
      expect(after).toMatchObject({ configName: 'c1', mpsPort: 4434 });
      expect(after!.version).not.toBe(before.version);
    });

    it('refuses a stale version: concurrency error carrying the latest item, row unchanged', async () => {
      const current = (await db.ciraConfigs.getByName('c2'))!;
      await db.ciraConfigs.update({ ...current, mpsPort: 5000 });
      const error = await rejection(
        db.ciraConfigs.update({ ...current, mpsPort: 6000 }),
      );
      expect(error).toBeInstanceOf(TestRPSError);
      expect(error.message).toBe('No records were updated');
      expect(error.name).toBe('Concurrency');
      expect(error.item).toMatchObject({ configName: 'c2', mpsPort: 5000 });
      expect((await db.ciraConfigs.getByName('c2'))!.mpsPort).toBe(5000);
    });

    it('an update that changes nothing still succeeds (matched rows, not changed rows)', async () => {
      const current = (await db.ciraConfigs.getByName('c3'))!;
      await expect(db.ciraConfigs.update(current)).resolves.toMatchObject({
        configName: 'c3',
      });
    });

    it('deletes: true once, then false (not found)', async () => {
      expect(await db.ciraConfigs.delete('c3')).toBe(true);
      expect(await db.ciraConfigs.delete('c3')).toBe(false);
      expect(await db.ciraConfigs.delete('other')).toBe(false); // another tenant's
      expect(await db.ciraConfigs.delete('other', 't2')).toBe(true);
    });

    it('refuses to delete a CIRA config a profile uses (foreign key)', async () => {
      await db.profiles.insert({
        profileName: 'p-cira',
        activation: 'ccmactivate',
        ciraConfigName: 'c1',
        generateRandomPassword: true,
        generateRandomMEBxPassword: true,
        tlsMode: null,
        tenantId: '',
      });
      const error = await rejection(db.ciraConfigs.delete('c1'));
      expect(error).toBeInstanceOf(TestRPSError);
      expect(error.message).toBe('CIRA_CONFIG_DELETION_FAILED_CONSTRAINT(c1)');
      expect(error.name).toBe('Foreign key violation');
      expect(await db.ciraConfigs.getByName('c1')).not.toBeNull();
    });

    it('domains: duplicate suffix, lookup by suffix, date round trip, raw delete', async () => {
      const domain = {
        profileName: 'd1',
        domainSuffix: 'example.com',
        provisioningCert: 'cert',
        provisioningCertStorageFormat: 'raw',
        provisioningCertPassword: 'pw',
        expirationDate: new Date('2030-01-02T03:04:05.000Z'),
        tenantId: '',
      };
      expect(await db.domains.insert(domain)).toEqual({
        ...domain,
        version: expect.any(String),
      });
      expect(
        (await db.domains.getDomainByDomainSuffix('EXAMPLE.com'))?.profileName,
      ).toBe('d1');
      expect(
        await db.domains.getDomainByDomainSuffix('example.org'),
      ).toBeNull();
      const error = await rejection(
        db.domains.insert({ ...domain, profileName: 'd2' }),
      );
      expect(error.message).toBe('DUPLICATE_DOMAIN_FAILED(d2)');
      expect(error.name).toBe('Unique key violation');
      const d1 = (await db.domains.getByName('d1'))!;
      const stale = await rejection(
        db.domains.update({ ...d1, version: String(Number(d1.version) + 7) }),
      );
      expect(stale.name).toBe('Concurrency');
      expect(await db.domains.delete('d1')).toBe(true);
    });

    it('802.1x: insert shape, in-use delete names the table that uses it', async () => {
      const ieee = {
        profileName: 'e1',
        authenticationProtocol: 0,
        pxeTimeout: 120,
        wiredInterface: false,
        tenantId: '',
      };
      expect(await db.ieee8021xProfiles.insert(ieee)).toEqual({
        ...ieee,
        version: expect.any(String),
      });
      expect(await db.ieee8021xProfiles.checkProfileExits('E1')).toBe(true);
      expect(await db.ieee8021xProfiles.checkProfileExits('nope')).toBe(false);
      const dup = await rejection(db.ieee8021xProfiles.insert(ieee));
      expect(dup.message).toBe('IEEE8021X_INSERTION_FAILED_DUPLICATE(e1)');
      await db.wirelessProfiles.insert({
        profileName: 'w-ieee',
        authenticationMethod: 5,
        encryptionMethod: 3,
        ssid: 's',
        pskValue: null,
        pskPassphrase: null,
        linkPolicy: [14, 16],
        tenantId: '',
        ieee8021xProfileName: 'e1',
      });
      const inUse = await rejection(db.ieee8021xProfiles.delete('e1'));
      expect(inUse.message).toBe(
        'IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS(e1)',
      );
      await db.wirelessProfiles.delete('w-ieee');
      await db.profiles.insert({
        profileName: 'p-ieee',
        activation: 'ccmactivate',
        generateRandomPassword: true,
        generateRandomMEBxPassword: true,
        ieee8021xProfileName: 'e1',
        tenantId: '',
      });
      const byProfile = await rejection(db.ieee8021xProfiles.delete('e1'));
      expect(byProfile.message).toBe(
        'IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE(e1)',
      );
      expect(await db.profiles.delete('p-ieee')).toBe(true);
      expect(await db.ieee8021xProfiles.delete('e1')).toBe(true);
    });

    it('wireless: link policy array, total_count in lists, duplicate and in-use delete', async () => {
      const wifi = {
        profileName: 'w1',
        authenticationMethod: 4,
        encryptionMethod: 3,
        ssid: 'ssid',
        pskValue: null,
        pskPassphrase: 'secret-pass',
        linkPolicy: [14, 16],
        tenantId: '',
        ieee8021xProfileName: null,
      };
      expect(await db.wirelessProfiles.insert(wifi)).toEqual({
        ...wifi,
        version: expect.any(String),
      });
      expect(await db.wirelessProfiles.get(25, 0)).toEqual([
        { ...wifi, total_count: '1', version: expect.any(String) },
      ]);
      const dup = await rejection(db.wirelessProfiles.insert(wifi));
      expect(dup.message).toBe(
        'NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE(Wireless, w1)',
      );
      await db.profiles.insert({
        profileName: 'p-wifi',
        activation: 'ccmactivate',
        generateRandomPassword: true,
        generateRandomMEBxPassword: true,
        wifiConfigs: [{ profileName: 'w1', priority: 1 }],
        tenantId: '',
      });
      const inUse = await rejection(db.wirelessProfiles.delete('w1'));
      expect(inUse.message).toBe(
        'NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT(Wireless, w1)',
      );
      expect(inUse.name).toBe('Foreign key violation');
      await db.profiles.delete('p-wifi');
      expect(await db.wirelessProfiles.delete('w1')).toBe(true);
      const [row] = await rootQuery(
        database.name,
        'SELECT COUNT(*) AS n FROM wirelessconfigs',
      );
      expect(Number(row.n)).toBe(0);
    });
  },
);

describe('proxy configs (schema of v2.37.0 only: RPS v2.39.4)', () => {
  const release = TOOLKIT_RELEASES.find(r => r.id === 'v2.37.0')!;
  let database: Awaited<ReturnType<typeof createSchemaDatabase>>;
  let db: ReturnType<typeof createRpsMariadb>;
  beforeAll(async () => {
    database = await createSchemaDatabase(release, 'rps');
    db = createRpsMariadb(database.connectionString, testRpsHost());
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('insert, duplicate, update without version, in-use delete', async () => {
    const proxy = {
      name: 'x1',
      address: 'proxy.example.com',
      infoFormat: 201,
      port: 8080,
      networkDnsSuffix: 'example.com',
      tenantId: '',
    };
    expect(await db.proxyConfigs.insert(proxy)).toEqual(proxy);
    const dup = await rejection(db.proxyConfigs.insert({ ...proxy }));
    expect(dup.message).toBe(
      'NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE(Proxy, x1)',
    );
    expect(await db.proxyConfigs.update({ ...proxy, port: 3128 })).toEqual({
      ...proxy,
      port: 3128,
    });
    expect(await db.proxyConfigs.update({ ...proxy, port: 3128 })).toEqual({
      ...proxy,
      port: 3128,
    });
    const missing = await rejection(
      db.proxyConfigs.update({ ...proxy, name: 'nope' }),
    );
    expect(missing.name).toBe('Concurrency');
    expect(missing.item).toBeUndefined(); // RPSError keeps only a truthy item (rps src/utils/RPSError.ts)
    await db.profiles.insert({
      profileName: 'p-proxy',
      activation: 'acmactivate',
      generateRandomPassword: true,
      generateRandomMEBxPassword: true,
      proxyConfigs: [{ name: 'x1', priority: 1 }],
      tenantId: '',
    });
    const inUse = await rejection(db.proxyConfigs.delete('x1'));
    expect(inUse.message).toBe(
      'NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT(Proxy, x1)',
    );
    expect(await db.profiles.delete('p-proxy')).toBe(true);
    expect(await db.proxyConfigs.delete('x1')).toBe(true);
  });
});
