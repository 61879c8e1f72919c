/*
 * npm run bench:probes — one engine sweep over DEPLOYMENTS deployments x 8 components against contract
 * servers that answer after LATENCY_MS (in a child process), with the real adapters, host guard,
 * limiter and store (SQLite in memory, as the demo portal).
 *
 * ideal = probes x LATENCY_MS / concurrency, the definition: a probe that needs several round
 * trips must overlap them to stay near one latency. The HTTP requests the fleet answered are printed on the
 * line before (they include the MPS Router's forwarded request to MPS, the one probe that costs two
 * latencies by nature).
 *
 * cpu is this process's user + system CPU time during the measured sweep (process.cpuUsage), which machine
 * load disturbs far less than the wall-clock sweep time. BENCH_CPU_PROFILE=<file.cpuprofile> writes a V8
 * CPU profile of the measured sweep only.
 */
import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DatabaseAdapter,
  probeHttp,
  postgresqlAdapter,
  vaultAdapter,
} from '@open-amt-backstage/plugin-open-amt-node';
import knexFactory from 'knex';
import { readHealthConfig } from '../src/config';
import {
  createHealthServices,
  defaultProbeAdapters,
} from '../src/services/createHealthServices';

const DEPLOYMENTS = Number(process.env.DEPLOYMENTS ?? 1000);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);

type FleetInfo = {
  urls: Record<string, string>;
  vaultToken: string;
  cira: { address: string; commonName: string };
};

function startFleet(): Promise<{
  info: FleetInfo;
  counts(): Promise<Record<string, number>>;
  close(): void;
}> {
  const child = fork(`${__dirname}/contractFleet.ts`, [], {
    execArgv: ['-r', 'sucrase/register'],
    env: { ...process.env, LATENCY_MS: String(LATENCY_MS) },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (info: any) =>
      resolve({
        info,
        counts: () =>
          new Promise(r => {
            child.once('message', (m: any) => r(m.counts));
            child.send('counts');
          }),
        close: () => child.send('close'),
      }),
    );
  });
}

/** Profiles `fn` with the V8 CPU profiler when BENCH_CPU_PROFILE names a file. */
async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

const silentLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
} as any;

async function main() {
  const fleet = await startFleet();
  const { urls, vaultToken, cira } = fleet.info;
  const vaultSpec = {
    provider: 'vault' as const,
    address: urls.vault,
    mount: 'kv',
    pathPrefix: 'open-amt/bench',
  };
  await vaultAdapter.write(
    vaultSpec,
    { kind: 'vault-token', token: vaultToken },
    {
      probe: { databaseUser: 'bench', databasePassword: 'Bench-Probe-Pass-1x' },
    },
    { rotate: true },
  );

  const entities: Entity[] = Array.from({ length: DEPLOYMENTS }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: `bench-${i}`,
      annotations: {
        'open-amt.io/deployment': `bench-${i}`,
        'open-amt.io/toolkit-release': LATEST_TOOLKIT_RELEASE.id,
        'open-amt.io/target': 'kubernetes',
        'open-amt.io/mps-url': urls.mps,
        'open-amt.io/rps-url': urls.rps,
        'open-amt.io/mpsrouter-url': urls.mpsRouter,
        'open-amt.io/webui-url': urls.webUi,
        'open-amt.io/database-provider': 'postgresql',
        'open-amt.io/database-endpoint': `127.0.0.1:${
          new URL(urls.database).port
        }`,
        'open-amt.io/secrets-provider': 'vault',
        'open-amt.io/secrets-endpoint': urls.vault,
        'open-amt.io/gateway-provider': 'kong',
        'open-amt.io/gateway-url': urls.kong,
        'open-amt.io/credentials-ref': 'vault:kv/open-amt/bench/probe',
        'open-amt.io/mps-common-name': cira.commonName,
        'open-amt.io/cira-endpoint': cira.address,
      },
    },
    spec: { owner: 'group:default/platform' },
  }));

  // The database probe does one guarded HTTP round trip to the 50 ms stand-in (see contractFleet.ts).
  const benchDatabase: DatabaseAdapter = {
    ...postgresqlAdapter,
    async probe(target, _credentials, ctx) {
      const res = await probeHttp(`http://${target.host}:${target.port}/`, ctx);
      return res.kind === 'response'
        ? {
            status: 'healthy',
            latencyMs: res.latencyMs,
            message: 'stand-in answered',
          }
        : { status: 'down', message: 'stand-in failed' };
    },
  };

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const database: DatabaseService = { getClient: async () => knex };
  const config = readHealthConfig(
    new ConfigReader({
      openAmt: {
        health: {
          concurrency: CONCURRENCY,
          jitterMs: 0,
          timeoutMs: 5000,
          allowedHosts: ['127.0.0.1'],
          secretStores: { vault: { address: urls.vault, token: vaultToken } },
        },
      },
    }),
  );
  const { engine } = await createHealthServices({
    config,
    logger: silentLogger,
    database,
    auth: {
      getOwnServiceCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'bench' },
      }),
    } as any,
    catalog: catalogServiceMock({ entities }),
    adapters: {
      ...defaultProbeAdapters,
      databases: {
        ...defaultProbeAdapters.databases,
        postgresql: benchDatabase,
      },
    },
  });

  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  // First sweep: creates the rows and connections and learns the rarely-changing facts (versions, Kong's
  // routes for its configuration hash, the Vault token and mount); the second sweep is the steady state measured.
  const firstCpuBefore = process.cpuUsage();
  const first = await engine.sweep();
  const firstCpu = process.cpuUsage(firstCpuBefore);
  const firstCpuMsPerProbe =
    (firstCpu.user + firstCpu.system) / 1000 / first.probes;
  const before = await fleet.counts();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await profiled(() => engine.sweep());
  const sweepS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const after = await fleet.counts();
  const requests = Object.keys(after).reduce(
    (n, k) => n + after[k] - before[k],
    0,
  );
  const memory = process.memoryUsage();
  const rssMb = memory.rss / 1024 / 1024;
  const probes = report.probes;
  const idealS = (probes * LATENCY_MS) / CONCURRENCY / 1000;
  const cpuMsPerProbe = (cpu.user + cpu.system) / 1000 / probes;

  console.log(
    `requests ${requests} (${(requests / probes).toFixed(
      2,
    )} per probe), concurrency ${CONCURRENCY}, latency ${LATENCY_MS} ms, ` +
      `store failures ${report.storeFailures}, cpu user ${(
        cpu.user / 1000
      ).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms, ` +
      `first sweep (nothing remembered) ${(first.durationMs / 1000).toFixed(
        2,
      )} s and cpu ${firstCpuMsPerProbe.toFixed(3)} ms/probe, ` +
      `rss before sweeps ${Math.round(baselineRssMb)} MB, heap ${Math.round(
        memory.heapUsed / 1048576,
      )}/${Math.round(memory.heapTotal / 1048576)} MB, external ${Math.round(
        memory.external / 1048576,
      )} MB, load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    `probes: ${DEPLOYMENTS} deployments x ${
      probes / DEPLOYMENTS
    } components, sweep ${sweepS.toFixed(2)} s, ideal ${idealS.toFixed(
      2,
    )} s, ` +
      `ratio ${(sweepS / idealS).toFixed(2)}, cpu ${cpuMsPerProbe.toFixed(
        3,
      )} ms/probe, rss ${Math.round(rssMb)} MB`,
  );
  fleet.close();
  await knex.destroy();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
