import { X509Certificate } from 'node:crypto';
import { AddressInfo } from 'node:net';
import tls from 'node:tls';
import {
  CiraContractServer,
  CiraServerOptions,
  createTestCertificate,
  findClosedPortUrl,
  startCiraServer,
  startResettingSocketServer,
  startSilentSocketServer,
  startWebUiServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { createHostGuard } from '../net';
import type { CiraEndpointTarget, HostGuard, ProbeContext } from '../types';
import { ciraEndpointAdapter } from '.';

// Each stand-in mints its certificate (an RSA key and a node-forge signature): seconds on a loaded CI machine.
jest.setTimeout(30_000);

const COMMON_NAME = 'mps.example.com';
const loopbackGuard = createHostGuard({
  allowedHosts: ['127.0.0.1/8', 'localhost'],
});
const ctx = (
  timeoutMs = 2000,
  guard: HostGuard = loopbackGuard,
): ProbeContext => ({ timeoutMs, guard });
const portOf = (url: string) => Number(new URL(url).port);
const at = (
  server: CiraContractServer,
  commonName = COMMON_NAME,
): CiraEndpointTarget => ({ host: server.host, port: server.port, commonName });

async function withCira<T>(
  options: CiraServerOptions,
  fn: (server: CiraContractServer) => Promise<T>,
): Promise<T> {
  const server = await startCiraServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

describe('ciraEndpointAdapter: the certificate MPS presents', () => {
  it("is healthy with MPS's certificate for the common name and says what it saw", () =>
    withCira({ hosts: [COMMON_NAME], daysValid: 365 }, async server => {
      const result = await ciraEndpointAdapter.probe(at(server), ctx());
      expect(result.status).toBe('healthy');
      // Whole days left: a certificate made a moment ago for 365 days has 364 full days ahead.
      expect(result.message).toBe(
        `CIRA endpoint ${server.address} presents MPS's certificate for ${COMMON_NAME}, valid 364 more days.`,
      );
      expect(result.latencyMs).toEqual(expect.any(Number));
      expect(result.details).toEqual({
        subjectCN: COMMON_NAME,
        subjectAltNames: [COMMON_NAME],
        issuerCN: COMMON_NAME,
        validFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        validTo: new Date(
          new X509Certificate(server.cert).validTo,
        ).toISOString(),
        daysLeft: 364,
        fingerprint256: new X509Certificate(server.cert).fingerprint256,
        tlsProtocol: 'TLSv1.3',
        chainVerified: false,
      });
      expect(server.serverNames).toEqual([COMMON_NAME]); // SNI = the common name, not the address connected to
    }));

  it('accepts a wildcard for one label only, as devices do', () =>
    withCira({ hosts: ['*.example.com'] }, async server => {
      await expect(
        ciraEndpointAdapter.probe(at(server), ctx()),
      ).resolves.toMatchObject({ status: 'healthy' });
      await expect(
        ciraEndpointAdapter.probe(at(server, 'mps.eu.example.com'), ctx()),
      ).resolves.toMatchObject({ status: 'down' });
    }));

  it('checks an IP common name against the IP addresses of the certificate, without SNI', () =>
    withCira({ hosts: ['127.0.0.1'] }, async server => {
      await expect(
        ciraEndpointAdapter.probe(at(server, '127.0.0.1'), ctx()),
      ).resolves.toMatchObject({ status: 'healthy' });
      expect(server.serverNames).toEqual([]);
      expect(server.connectionCount).toBe(1);
    }));

  it('stands in for many deployments when asked to: a certificate for each requested name (demo stack)', () =>
    withCira(
      { hosts: [COMMON_NAME], coverRequestedNames: true },
      async server => {
        // The stand-in mints a key and certificate for the new name during the handshake: seconds on a loaded
        // CI machine, so this test (about names, not time) gives it a wider budget.
        const other = await ciraEndpointAdapter.probe(
          at(server, 'mps.plant-7.example.net'),
          ctx(10_000),
        );
        expect(other).toMatchObject({
          status: 'healthy',
          details: { subjectCN: 'mps.plant-7.example.net' },
        });
        await expect(
          ciraEndpointAdapter.probe(at(server), ctx()),
        ).resolves.toMatchObject({ details: { subjectCN: COMMON_NAME } });
      },
    ));

  it('is down when the certificate does not cover the common name: a gateway terminating TLS', () =>
    withCira(
      { hosts: ['amt.example.org', 'gateway.example.org'] },
      async server => {
        const result = await ciraEndpointAdapter.probe(at(server), ctx());
        expect(result.status).toBe('down');
        expect(result.message).toBe(
          `CIRA endpoint ${server.address} presents a certificate for amt.example.org, gateway.example.org, which does not cover ${COMMON_NAME}: the gateway may be terminating TLS instead of passing port 4433 through to MPS.`,
        );
        expect(result.details).toMatchObject({
          subjectAltNames: ['amt.example.org', 'gateway.example.org'],
          chainVerified: false,
        });
      },
    ));

  it('is down when the certificate has expired or is not valid yet', async () => {
    await withCira({ hosts: [COMMON_NAME], expired: true }, async server => {
      const result = await ciraEndpointAdapter.probe(at(server), ctx());
      expect(result.status).toBe('down');
      expect(result.details?.daysLeft).toBeLessThan(0);
      expect(result.message).toMatch(
        /but it expired on \d{4}-\d\d-\d\d: devices refuse it\.$/,
      );
    });
    await withCira(
      { hosts: [COMMON_NAME], notYetValid: true },
      async server => {
        const result = await ciraEndpointAdapter.probe(at(server), ctx());
        expect(result.status).toBe('down');
        expect(result.message).toMatch(
          /but it is not valid before \d{4}-\d\d-\d\dT.*: devices refuse it/,
        );
      },
    );
  });

  it('is degraded when fewer than 14 whole days are left, healthy from 14', async () => {
    await withCira({ hosts: [COMMON_NAME], daysValid: 14 }, async server => {
      const result = await ciraEndpointAdapter.probe(at(server), ctx());
      expect(result).toMatchObject({
        status: 'degraded',
        details: { daysLeft: 13 },
      });
      expect(result.message).toMatch(
        /which expires in 13 days \(\d{4}-\d\d-\d\d\): renew it before devices refuse it\.$/,
      );
    });
    await withCira({ hosts: [COMMON_NAME], daysValid: 15 }, async server => {
      await expect(
        ciraEndpointAdapter.probe(at(server), ctx()),
      ).resolves.toMatchObject({
        status: 'healthy',
        details: { daysLeft: 14 },
      });
    });
  });
});

describe('ciraEndpointAdapter: names as the certificate writes them', () => {
  it('reads repeated and escaped subject and issuer attributes like the legacy certificate object', async () => {
    const { key, cert } = createTestCertificate(
      ['mps.example.com'],
      { notAfterDays: 90 },
      [
        { shortName: 'C', value: 'US' },
        { shortName: 'O', value: 'Intel, Corp' },
        { shortName: 'CN', value: 'MPS Root; lab "A"' },
        { shortName: 'CN', value: 'mps.example.com' },
      ],
    );
    const server = tls.createServer({ key, cert }, socket =>
      socket.on('error', () => {}),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const target = { host: '127.0.0.1', port, commonName: COMMON_NAME };
      const healthy = await ciraEndpointAdapter.probe(target, ctx());
      const x509 = new X509Certificate(cert);
      expect(healthy.status).toBe('healthy');
      expect(healthy.details).toMatchObject({
        // The first of repeated CNs, unescaped; the issuer is the subject (self-signed).
        subjectCN: 'MPS Root; lab "A"',
        issuerCN: 'MPS Root; lab "A"',
        subjectAltNames: ['mps.example.com'],
        fingerprint256: x509.fingerprint256,
        validTo: new Date(x509.validTo).toISOString(),
      });
      // A name the certificate does not cover: the message lists what it does.
      const other = await ciraEndpointAdapter.probe(
        { ...target, commonName: 'other.example.com' },
        ctx(),
      );
      expect(other.status).toBe('down');
      expect(other.message).toContain(
        'presents a certificate for mps.example.com, which does not cover other.example.com',
      );
    } finally {
      server.close();
    }
  });
});

describe('ciraEndpointAdapter: nothing, or not TLS, on the port', () => {
  it('is down with "no TLS" when the port speaks HTTP', async () => {
    const web = await startWebUiServer();
    try {
      const port = portOf(web.url);
      const result = await ciraEndpointAdapter.probe(
        { host: '127.0.0.1', port, commonName: COMMON_NAME },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'down',
        details: {
          failure: 'tls_error',
          code: 'ERR_SSL_WRONG_VERSION_NUMBER',
          stage: 'handshake',
        },
      });
      expect(result.message).toBe(
        `No TLS on 127.0.0.1:${port} — it answered, but not with a TLS handshake (ERR_SSL_WRONG_VERSION_NUMBER): plain TCP or HTTP listens there, not MPS.`,
      );
    } finally {
      await web.close();
    }
  });

  it('is down with "no TLS" when the connection is reset during the handshake', async () => {
    const resetting = await startResettingSocketServer();
    try {
      const result = await ciraEndpointAdapter.probe(
        {
          host: '127.0.0.1',
          port: portOf(resetting.url),
          commonName: COMMON_NAME,
        },
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'down',
        details: { failure: 'connection_reset', stage: 'handshake' },
      });
      expect(result.message).toMatch(
        /^No TLS on 127\.0\.0\.1:\d+ — the connection was closed during the TLS handshake \(ECONNRESET\): devices cannot reach MPS there\.$/,
      );
    } finally {
      await resetting.close();
    }
  });

  it('is down when nothing listens', async () => {
    const port = portOf(await findClosedPortUrl());
    const result = await ciraEndpointAdapter.probe(
      { host: '127.0.0.1', port, commonName: COMMON_NAME },
      ctx(),
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { failure: 'connection_refused', code: 'ECONNREFUSED' },
    });
    expect(result.message).toBe(
      `CIRA endpoint 127.0.0.1:${port} refused the connection (nothing listening) (ECONNREFUSED).`,
    );
    expect(result.latencyMs).toBeUndefined();
  });

  it('is down when the name does not resolve', async () => {
    const result = await ciraEndpointAdapter.probe(
      {
        host: 'mps.cira-test.invalid',
        port: 4433,
        commonName: 'mps.cira-test.invalid',
      },
      ctx(3000, createHostGuard({ allowedHosts: ['*.invalid'] })),
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { failure: 'dns_failure' },
    });
  });

  it('is down within the budget on a socket that accepts and never answers', async () => {
    const silent = await startSilentSocketServer();
    try {
      const started = Date.now();
      const result = await ciraEndpointAdapter.probe(
        {
          host: '127.0.0.1',
          port: portOf(silent.url),
          commonName: COMMON_NAME,
        },
        ctx(250),
      );
      expect(Date.now() - started).toBeLessThan(500);
      expect(result).toMatchObject({
        status: 'down',
        details: { failure: 'timeout', stage: 'handshake' },
      });
      expect(result.message).toMatch(
        /accepted the connection but completed no TLS handshake within 250 ms/,
      );
      expect(result.latencyMs).toBeUndefined();
    } finally {
      await silent.close();
    }
  });

  it('is unknown when cancelled', async () => {
    const silent = await startSilentSocketServer();
    try {
      const controller = new AbortController();
      const pending = ciraEndpointAdapter.probe(
        {
          host: '127.0.0.1',
          port: portOf(silent.url),
          commonName: COMMON_NAME,
        },
        { ...ctx(5000), signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 50);
      await expect(pending).resolves.toMatchObject({
        status: 'unknown',
        details: { failure: 'aborted' },
      });
    } finally {
      await silent.close();
    }
  });
});

describe('ciraEndpointAdapter: host guard', () => {
  it('never contacts a host the guard refuses, and reports it as unknown', () =>
    withCira({ hosts: [COMMON_NAME] }, async server => {
      const result = await ciraEndpointAdapter.probe(
        at(server),
        ctx(2000, createHostGuard({ allowedHosts: ['10.0.0.0/8'] })),
      );
      expect(result).toMatchObject({
        status: 'unknown',
        details: { failure: 'host_not_allowed' },
      });
      expect(result.message).toMatch(
        /was not probed: 127\.0\.0\.1 is not allowed: add it, or a CIDR covering it, to openAmt\.health\.allowedHosts\.$/,
      );
      expect(server.connectionCount).toBe(0);
    }));

  it('connects to the address the guard checked, not to a later DNS answer', () =>
    withCira({ hosts: [COMMON_NAME] }, async server => {
      // Public DNS would send mps.example.com elsewhere; the guard's answer is the one used.
      const guard = createHostGuard({
        allowedHosts: ['127.0.0.1/8'],
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      const result = await ciraEndpointAdapter.probe(
        { host: COMMON_NAME, port: server.port, commonName: COMMON_NAME },
        ctx(2000, guard),
      );
      expect(result.status).toBe('healthy');
      expect(server.connectionCount).toBe(1);
    }));
});
