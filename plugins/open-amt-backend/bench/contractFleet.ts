/*
 * Child process of bench/probes.ts: the contract servers of a deployment, every answer delayed by
 * LATENCY_MS, kept out of the engine's process so the engine's CPU and memory are measured alone.
 */
import {
  contractDevices,
  startCiraServer,
  startContractServer,
  startKongAdminServer,
  startMpsRouterServer,
  startMpsServer,
  startRpsServer,
  startVaultServer,
  startWebUiServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';

async function main() {
  const latencyMs = Number(process.env.LATENCY_MS ?? 50);
  const DAY_MS = 86_400_000;
  // What the devices and certificates rows read: a site's worth of devices, most of them connected, and the
  // ACM domains of a few sites, their provisioning certificates months from expiry.
  const mps = await startMpsServer({
    latencyMs,
    state: { devices: contractDevices(40, 32) },
  });
  const domain = (name: string, suffix: string, days: number) => ({
    profileName: name,
    domainSuffix: suffix,
    expirationDate: new Date(Date.now() + days * DAY_MS),
    tenantId: '',
  });
  const servers = {
    mps,
    rps: await startRpsServer({
      latencyMs,
      state: {
        domains: [
          domain('berlin', 'berlin.bench.example.com', 200),
          domain('lyon', 'lyon.bench.example.com', 320),
          domain('porto', 'porto.bench.example.com', 410),
        ],
      },
    }),
    mpsRouter: await startMpsRouterServer({ latencyMs, mpsUrl: mps.url }),
    webUi: await startWebUiServer({ latencyMs }),
    kong: await startKongAdminServer({ latencyMs }),
    vault: await startVaultServer({ latencyMs }),
    // No PostgreSQL wire-protocol stand-in exists: the database probe is one 50 ms round trip here.
    database: await startContractServer(
      {},
      () => ({ status: 200, body: { ok: true } }),
      { latencyMs },
    ),
  };
  // MPS's CIRA port: a TLS handshake answered after the same latency (certificate for the bench's common name).
  const cira = await startCiraServer({
    hosts: ['mps.bench.example.com'],
    latencyMs,
  });
  const counts = () => ({
    ...Object.fromEntries(
      Object.entries(servers).map(([k, s]) => [k, s.requestCount]),
    ),
    cira: cira.connectionCount,
  });
  process.on('message', async (message: string) => {
    if (message === 'counts') process.send!({ counts: counts() });
    if (message === 'close') {
      await Promise.all([
        ...Object.values(servers).map(s => s.close()),
        cira.close(),
      ]);
      process.exit(0);
    }
  });
  process.send!({
    urls: Object.fromEntries(
      Object.entries(servers).map(([k, s]) => [k, s.url]),
    ),
    cira: { address: cira.address, commonName: 'mps.bench.example.com' },
    vaultToken: servers.vault.rootToken,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
