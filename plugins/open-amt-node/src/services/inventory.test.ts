import {
  ContractServer,
  contractDevices,
  ContractDomain,
  MpsState,
  RpsState,
  startContractServer,
  startMpsServer,
  startRpsServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { CertificatesTarget, ProbeContext } from '../types';
import { CERT_RENEW_DAYS, certificatesAdapter, devicesAdapter } from '.';

const ctx = (timeoutMs = 2000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8', 'localhost'] }),
});
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY + 3_600_000);

/** Kong's jwt plugin in front of MPS/RPS: every request without a token is 401 {message: 'Unauthorized'}. */
const startTokenGateway = () =>
  startContractServer({}, () => ({
    status: 401,
    body: { message: 'Unauthorized' },
  }));

afterAll(() => closeIdleProbeConnections());

describe('devices', () => {
  let mps: ContractServer<MpsState>;
  beforeEach(async () => {
    mps = await startMpsServer({ state: { devices: contractDevices(4, 3) } });
  });
  afterEach(() => mps.close());

  it('is healthy with the counts MPS keeps, and follows devices connecting', async () => {
    const first = await devicesAdapter.probe(mps.url, ctx());
    expect(first).toMatchObject({
      status: 'healthy',
      message: expect.stringContaining('3 of 4 devices connected'),
      details: { totalCount: 4, connectedCount: 3, disconnectedCount: 1 },
    });
    mps.state.devices[3].connected = true;
    const second = await devicesAdapter.probe(mps.url, ctx());
    expect(second.details).toMatchObject({ connectedCount: 4 });
  });

  it('is unknown, never healthy, when MPS is unreachable or its count fails', async () => {
    const url = mps.url;
    mps.state.statsThrows = true;
    const failed = await devicesAdapter.probe(url, ctx());
    expect(failed.status).toBe('unknown');
    expect(failed.message).toMatch(/HTTP 500/);
    await mps.close();
    const gone = await devicesAdapter.probe(url, ctx());
    expect(gone.status).toBe('unknown');
    expect(gone.message).toMatch(/^Devices not counted/);
    mps = await startMpsServer();
  });

  it('says "not checkable without a token" when the address is the gateway', async () => {
    const gateway = await startTokenGateway();
    try {
      const result = await devicesAdapter.probe(gateway.url, ctx());
      expect(result.status).toBe('unknown');
      expect(result.message).toMatch(/not checkable without a token/);
      expect(result.message).toMatch(/open-amt\.io\/mps-url/);
    } finally {
      await gateway.close();
    }
  });
});

describe('certificates', () => {
  let rps: ContractServer<RpsState>;
  const domain = (profileName: string, days: number): ContractDomain => ({
    profileName,
    domainSuffix: `${profileName}.example.com`,
    expirationDate: inDays(days),
    tenantId: '',
  });
  const target = (
    over: Partial<CertificatesTarget> = {},
  ): CertificatesTarget => ({
    rpsUrl: rps.url,
    cira: { commonName: 'mps.example.com', validTo: inDays(300).toISOString() },
    ...over,
  });
  beforeEach(async () => {
    rps = await startRpsServer({ state: { domains: [domain('vpro', 200)] } });
  });
  afterEach(() => rps.close());

  it('is healthy when every certificate has more than 30 days, naming the first to expire', async () => {
    const result = await certificatesAdapter.probe(target(), ctx());
    expect(result.status).toBe('healthy');
    expect(result.message).toMatch(/2 certificates valid/);
    expect(result.message).toMatch(/domain vpro \(vpro\.example\.com\)/);
    expect((result.details as any).certificates).toHaveLength(2);
  });

  it(`is degraded at ${CERT_RENEW_DAYS} days left, naming the domain and the date`, async () => {
    rps.state.domains.push(domain('amt-lab', CERT_RENEW_DAYS));
    const result = await certificatesAdapter.probe(target(), ctx());
    const date = rps.state.domains[1].expirationDate.toISOString().slice(0, 10);
    expect(result.status).toBe('degraded');
    expect(result.message).toContain(
      `domain amt-lab (amt-lab.example.com) expires on ${date}`,
    );
    // One day more is still healthy: the boundary is ≤ 30 days.
    rps.state.domains[1] = domain('amt-lab', CERT_RENEW_DAYS + 1);
    expect((await certificatesAdapter.probe(target(), ctx())).status).toBe(
      'healthy',
    );
  });

  it('is down once a certificate has expired (provisioning or CIRA)', async () => {
    rps.state.domains.push(domain('old', -2));
    const provisioning = await certificatesAdapter.probe(target(), ctx());
    expect(provisioning.status).toBe('down');
    expect(provisioning.message).toMatch(
      /domain old .* expired on \d{4}-\d\d-\d\d/,
    );
    rps.state.domains.pop();
    const cira = await certificatesAdapter.probe(
      target({
        cira: {
          commonName: 'mps.example.com',
          validTo: inDays(-1).toISOString(),
        },
      }),
      ctx(),
    );
    expect(cira.status).toBe('down');
    expect(cira.message).toMatch(
      /CIRA certificate for mps\.example\.com expired/,
    );
  });

  it('reads every page of domains', async () => {
    rps.state.domains = Array.from({ length: 150 }, (_, i) =>
      domain(`d${String(i).padStart(3, '0')}`, 100),
    );
    rps.state.domains.push(domain('zz-last', 5));
    const result = await certificatesAdapter.probe(target(), ctx());
    expect((result.details as any).certificates).toHaveLength(152);
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(/zz-last/);
  });

  it('is unknown, not healthy, when the domains are only behind the gateway or the CIRA cert was not read', async () => {
    const gateway = await startTokenGateway();
    try {
      const behind = await certificatesAdapter.probe(
        target({ rpsUrl: gateway.url }),
        ctx(),
      );
      expect(behind.status).toBe('unknown');
      expect(behind.message).toMatch(/not checkable without a token/);
    } finally {
      await gateway.close();
    }
    const noCira = await certificatesAdapter.probe(
      target({ cira: { unread: 'nothing listens on 4433.' } }),
      ctx(),
    );
    expect(noCira.status).toBe('unknown');
    expect(noCira.message).toMatch(/CIRA certificate not read/);
    // What was read still counts: an expired domain is down even when CIRA was not read.
    rps.state.domains.push(domain('old', -1));
    expect(
      (
        await certificatesAdapter.probe(
          target({ cira: { unread: 'x' } }),
          ctx(),
        )
      ).status,
    ).toBe('down');
  });
});
