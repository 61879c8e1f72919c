import { contractDevices, startMpsServer, startRpsServer } from '.';

const get = async (url: string) => {
  const res = await fetch(url);
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
};

const DAY = 86_400_000;

describe('MPS GET /api/v1/devices/stats (mps stats.ts:10-23)', () => {
  it('counts the request tenant’s devices and follows connects and disconnects', async () => {
    const mps = await startMpsServer({
      state: {
        devices: [
          ...contractDevices(3, 1),
          // Another tenant's devices are never counted for the default ('') tenant.
          ...contractDevices(5, 5, 'acme'),
        ],
      },
    });
    try {
      const url = `${mps.url}/api/v1/devices/stats`;
      expect((await get(url)).json).toEqual({
        totalCount: 3,
        connectedCount: 1,
        disconnectedCount: 2,
      });
      mps.state.devices[1].connected = true;
      expect((await get(url)).json.connectedCount).toBe(2);
      mps.state.requestTenant = 'acme';
      expect((await get(url)).json).toEqual({
        totalCount: 5,
        connectedCount: 5,
        disconnectedCount: 0,
      });
      mps.state.statsThrows = true;
      expect(await get(url)).toMatchObject({ status: 500, text: '' });
    } finally {
      await mps.close();
    }
  });
});

describe('RPS GET /api/v1/admin/domains (rps domains/all.ts:13-40)', () => {
  const domain = (profileName: string, days: number, tenantId = '') => ({
    profileName,
    domainSuffix: `${profileName}.example.com`,
    expirationDate: new Date(Date.UTC(2030, 0, 1) + days * DAY),
    tenantId,
  });

  it('lists the tenant’s domains by name without the certificate or its password', async () => {
    const rps = await startRpsServer({
      state: {
        domains: [
          domain('zeta', 10),
          domain('alpha', 20),
          domain('x', 1, 'acme'),
        ],
      },
    });
    try {
      const { status, json } = await get(`${rps.url}/api/v1/admin/domains`);
      expect(status).toBe(200);
      expect(json.map((d: any) => d.profileName)).toEqual(['alpha', 'zeta']);
      expect(json[0].expirationDate).toBe('2030-01-21T00:00:00.000Z');
      expect(json[0]).not.toHaveProperty('provisioningCert');
      expect(json[0]).not.toHaveProperty('provisioningCertPassword');
    } finally {
      await rps.close();
    }
  });

  it('pages with $top/$skip and wraps as {data, totalCount} only when $count is not false', async () => {
    const rps = await startRpsServer({
      state: {
        domains: Array.from({ length: 30 }, (_, i) =>
          domain(`d${String(i).padStart(2, '0')}`, i),
        ),
      },
    });
    try {
      const base = `${rps.url}/api/v1/admin/domains`;
      // $top defaults to 25 (odataValidator.ts:10-11, constants.ts:139).
      expect((await get(base)).json).toHaveLength(25);
      const page = (await get(`${base}?$top=10&$skip=25&$count=true`)).json;
      expect(page.totalCount).toBe(30);
      expect(page.data.map((d: any) => d.profileName)).toEqual([
        'd25',
        'd26',
        'd27',
        'd28',
        'd29',
      ]);
      expect(Array.isArray((await get(`${base}?$count=false`)).json)).toBe(
        true,
      );
    } finally {
      await rps.close();
    }
  });

  it('refuses bad paging with 400 {errors} naming the field, and answers 500 when the database throws', async () => {
    const rps = await startRpsServer({ state: { domains: [domain('a', 1)] } });
    try {
      const bad = await get(`${rps.url}/api/v1/admin/domains?$top=-1`);
      expect(bad.status).toBe(400);
      expect(bad.json.errors[0].path).toBe('$top');
      expect(
        (await get(`${rps.url}/api/v1/admin/domains?$count=maybe`)).json
          .errors[0].path,
      ).toBe('$count');
      rps.state.domainsThrows = true;
      expect((await get(`${rps.url}/api/v1/admin/domains`)).status).toBe(500);
    } finally {
      await rps.close();
    }
  });
});
