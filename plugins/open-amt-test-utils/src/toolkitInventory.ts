import type { ContractRequest, ContractResponse } from './contractServer';

/**
 * What MPS and RPS keep per tenant and the portal's devices and certificates rows read. MPS and RPS take the
 * tenant from `req.tenantId`, which only an adopter's custom middleware sets; the shipped one sets '' for every
 * request (mps src/middleware/custom/example.ts:19, rps src/middleware/custom/example.ts:20, tags v2.34.1 / v2.39.4).
 */
export interface ContractDevice {
  guid: string;
  tenantId: string;
  /** The devices table's connectionstatus (true while the device holds a CIRA connection). */
  connected: boolean;
}

export interface ContractDomain {
  profileName: string;
  domainSuffix: string;
  /** The provisioning certificate's notAfter, as RPS stores it (domains.expiration_date). */
  expirationDate: Date;
  tenantId: string;
}

/** The tenant the request is answered for: the shipped custom middleware's '' unless a test set one. */
export interface TenantState {
  requestTenant: string;
}

/** Devices with GUIDs device-0001…, the first `connected` of them connected. */
export function contractDevices(
  total: number,
  connected = 0,
  tenantId = '',
): ContractDevice[] {
  return Array.from({ length: total }, (_, i) => ({
    guid: `device-${String(i + 1).padStart(4, '0')}`,
    tenantId,
    connected: i < connected,
  }));
}

/**
 * MPS GET /api/v1/devices/stats (mps src/routes/devices/stats.ts:10-23 at v2.34.1): both counts for the request's
 * tenant (tables/device.ts:19-32 and :69-82 filter on tenantid), disconnected = max(total − connected, 0), and
 * 500 with an empty body when the database query throws.
 */
export function devicesStatsResponse(
  s: TenantState & { devices: ContractDevice[]; statsThrows: boolean },
): ContractResponse {
  if (s.statsThrows) return { status: 500 };
  const own = s.devices.filter(d => d.tenantId === s.requestTenant);
  const totalCount = own.length;
  const connectedCount = own.filter(d => d.connected).length;
  return {
    status: 200,
    body: {
      totalCount,
      connectedCount,
      disconnectedCount: Math.max(totalCount - connectedCount, 0),
    },
  };
}

const ODATA_INT = /^\d{1,10}$/;

/**
 * RPS GET /api/v1/admin/domains (rps src/routes/admin/domains/all.ts:13-40 at v2.39.4): the request tenant's
 * domains ordered by name (tables/domains.ts:55-76), $top default 25 and $skip default 0 (odataValidator.ts:9-22,
 * constants.ts:139-140), each without provisioningCert/provisioningCertPassword; a bare array, or
 * `{ data, totalCount }` when $count is given and not 'false'. A non-integer $top/$skip or non-boolean $count is
 * 400 `{ errors: [...] }` (middleware/validate.ts:12); a database error 500.
 */
export function domainsResponse(
  req: ContractRequest,
  s: TenantState & { domains: ContractDomain[]; domainsThrows: boolean },
): ContractResponse {
  const errors: {
    type: string;
    location: string;
    path: string;
    msg: string;
  }[] = [];
  const int = (name: string, fallback: number) => {
    const raw = req.query.get(name);
    if (raw === null) return fallback;
    if (!ODATA_INT.test(raw))
      errors.push({
        type: 'field',
        location: 'query',
        path: name,
        msg:
          name === '$top'
            ? 'The number of items to return should be a positive integer'
            : 'The number of items to skip before starting to collect the result set should be a positive integer',
      });
    return Number(raw);
  };
  const top = int('$top', 25);
  const skip = int('$skip', 0);
  const count = req.query.get('$count');
  if (count !== null && !['true', 'false', '0', '1'].includes(count))
    errors.push({
      type: 'field',
      location: 'query',
      path: '$count',
      msg: 'To return total number of records in result set should be boolean',
    });
  if (errors.length) return { status: 400, body: { errors } };
  if (s.domainsThrows)
    return {
      status: 500,
      body: { message: 'Operation failed: GET ' },
    };
  const own = s.domains
    .filter(d => d.tenantId === s.requestTenant)
    .sort((a, b) => a.profileName.localeCompare(b.profileName));
  const page = own.slice(skip, skip + top).map(d => ({
    profileName: d.profileName,
    domainSuffix: d.domainSuffix,
    provisioningCertStorageFormat: 'string',
    expirationDate: d.expirationDate.toISOString(),
    tenantId: d.tenantId,
    version: '1',
  }));
  if (count === null || count === 'false') return { status: 200, body: page };
  return { status: 200, body: { data: page, totalCount: own.length } };
}
