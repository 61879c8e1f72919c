/*
 * npm run bench:probes — engine sweeps over DEPLOYMENTS deployments x every component against contract
 * servers that answer after LATENCY_MS (in a child process), with the real adapters, host guard,
 * limiter and store (SQLite in memory, as the demo portal).
 *
 * ideal = probes x LATENCY_MS / concurrency, the issue's definition: a probe that needs several round
 * trips must overlap them to stay near one latency. The HTTP requests the fleet answered are printed on the
 * line before (they include the MPS Router's forwarded request to MPS, the one probe that costs two
 * latencies by nature).
 *
 * cpu is this process's user + system CPU time during the measured sweep (process.cpuUsage), which machine
 * load disturbs far less than the wall-clock sweep time. BENCH_CPU_PROFILE=<file.cpuprofile> writes a V8
 * CPU profile of the first measured sweep only.
 *
 * floor = the transport floor (bench/transportFloor.ts): the HTTP requests and TLS handshakes the measured
 * sweep made, sent again right after it by a bare loop with node:http/https/tls and the same concurrency;
 * its CPU per probe is what the transport costs without the engine, and cpu/floor is the engine's overhead.
 * BENCH_RUNS=<n> measures n steady-state sweeps (each with its floor) and prints the spread.
 */
import {
  DRIFT_DETAILS,
  LATEST_TOOLKIT_RELEASE,
  PROBE_BINDING_KEYS,
  probeEntryName,
} from '@open-amt-backstage/plugin-open-amt-common';
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector';
import { writeHeapSnapshot } from 'node:v8';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
// What catalogServiceMock returns, without its module's import of @backstage/backend-test-utils (jest doubles,
// test databases: about 80 MB of the process's RSS that no engine code uses).
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import {
  createHostGuard,
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
import { recordTransport, runTransportFloor } from './transportFloor';

const DEPLOYMENTS = Number(process.env.DEPLOYMENTS ?? 1000);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);

type RunFigures = {
  probes: number;
  sweepS: number;
  idealS: number;
  cpuMsPerProbe: number;
  floorMsPerProbe: number;
  rssMb: number;
};

function probesLine(f: RunFigures) {
  return (
    `probes: ${DEPLOYMENTS} deployments x ${
      f.probes / DEPLOYMENTS
    } components, sweep ${f.sweepS.toFixed(2)} s, ideal ${f.idealS.toFixed(
      2,
    )} s, ratio ${(f.sweepS / f.idealS).toFixed(2)}, ` +
    `cpu ${f.cpuMsPerProbe.toFixed(
      3,
    )} ms/probe, floor ${f.floorMsPerProbe.toFixed(3)} ms/probe, cpu/floor ${(
      f.cpuMsPerProbe / f.floorMsPerProbe
    ).toFixed(2)}, rss ${Math.round(f.rssMb)} MB`
  );
}

function median(sorted: number[]) {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const noProfile = <T>(fn: () => Promise<T>, ..._files: unknown[]) => fn();

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
    execArgv: ['-r', `${__dirname}/register.js`],
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

/**
 * Profiles `fn` with the V8 CPU profiler when BENCH_CPU_PROFILE names a file, and samples its allocations
 * (garbage included) when BENCH_HEAP_PROFILE names a .heapprofile file.
 */
async function profiled<T>(
  fn: () => Promise<T>,
  file = process.env.BENCH_CPU_PROFILE,
  heapFile = process.env.BENCH_HEAP_PROFILE,
): Promise<T> {
  if (!file && !heapFile) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  if (file) {
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  if (heapFile) {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  try {
    return await fn();
  } finally {
    if (file) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    }
    if (heapFile) {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(heapFile, JSON.stringify(profile));
    }
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
  // Each deployment's own probe entry, bound as open-amt:secrets:provision binds it (deployment, database endpoint
  // and TLS mode, secrets store), so the database row passes the binding checks and does its round trip.
  const databaseEndpoint = `127.0.0.1:${new URL(urls.database).port}`;
  const probeEntry = (i: number) => ({
    dbUser: 'bench',
    dbPassword: 'Bench-Probe-Pass-1x',
    [PROBE_BINDING_KEYS.entityRef]: `system:default/bench-${i}`,
    [PROBE_BINDING_KEYS.databaseEndpoint]: databaseEndpoint,
    [PROBE_BINDING_KEYS.databaseTlsMode]: 'verify-full',
    [PROBE_BINDING_KEYS.secretsEndpoint]: urls.vault,
  });
  const WRITERS = 50;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const entries: Record<string, Record<string, string>> = {};
      for (let i = w; i < DEPLOYMENTS; i += WRITERS)
        entries[probeEntryName(`bench-${i}`)] = probeEntry(i);
      await vaultAdapter.write(
        vaultSpec,
        { kind: 'vault-token', token: vaultToken },
        entries,
        { rotate: false },
      );
    }),
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
        'open-amt.io/database-endpoint': databaseEndpoint,
        'open-amt.io/secrets-provider': 'vault',
        'open-amt.io/secrets-endpoint': urls.vault,
        'open-amt.io/gateway-provider': 'kong',
        'open-amt.io/gateway-url': urls.kong,
        'open-amt.io/credentials-ref': `vault:kv/open-amt/bench/${probeEntryName(
          `bench-${i}`,
        )}`,
        'open-amt.io/mps-common-name': cira.commonName,
        'open-amt.io/cira-endpoint': cira.address,
      },
    },
    spec: { owner: 'group:default/platform' },
  }));

  // The database probe does one guarded HTTP round trip to the 50 ms stand-in (see contractFleet.ts), and so does
  // its schema-version read, which finds the release the deployment runs (a fact kept between sweeps, as in production;
  // postgresqlAdapter's own would open a PostgreSQL connection to the HTTP stand-in every sweep and fail).
  const standInGuard = createHostGuard({ allowedHosts: ['127.0.0.1'] });
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
    async detectSchemaVersion(target) {
      const res = await probeHttp(`http://${target.host}:${target.port}/`, {
        timeoutMs: 5000,
        guard: standInGuard,
      });
      if (res.kind !== 'response') throw new Error('stand-in failed');
      const finding = {
        release: LATEST_TOOLKIT_RELEASE.id,
        source: 'table' as const,
      };
      return { rps: finding, mps: finding };
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
  const { engine, store } = await createHealthServices({
    config,
    logger: silentLogger,
    database,
    auth: {
      getOwnServiceCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'bench' },
      }),
    } as any,
    catalog: new InMemoryCatalogClient({ entities }),
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
  // routes for its configuration hash, the Vault token and mount); the sweeps after it are the steady state measured.
  const firstCountsBefore = await fleet.counts();
  const firstCpuBefore = process.cpuUsage();
  const first = await engine.sweep();
  const firstCpu = process.cpuUsage(firstCpuBefore);
  const firstCountsAfter = await fleet.counts();
  const firstRequests = Object.keys(firstCountsAfter).reduce(
    (n, k) => n + firstCountsAfter[k] - firstCountsBefore[k],
    0,
  );
  const firstCpuMsPerProbe =
    (firstCpu.user + firstCpu.system) / 1000 / first.probes;

  const runs: RunFigures[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const before = await fleet.counts();
    const recording = recordTransport();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const report = await (run === 1 ? profiled : noProfile)(() =>
      engine.sweep(),
    );
    const sweepS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const exchanges = recording.stop();
    const after = await fleet.counts();
    const requests = Object.keys(after).reduce(
      (n, k) => n + after[k] - before[k],
      0,
    );
    const rssMb = process.memoryUsage().rss / 1024 / 1024;
    // The floor sends what this sweep sent, to the same servers, after it (not during: they share the CPU).
    const floor = await (run === 1 ? profiled : noProfile)(
      () => runTransportFloor(exchanges, CONCURRENCY),
      process.env.BENCH_FLOOR_PROFILE ?? '',
      '',
    );
    const probes = report.probes;
    const figures: RunFigures = {
      probes,
      sweepS,
      idealS: (probes * LATENCY_MS) / CONCURRENCY / 1000,
      cpuMsPerProbe: (cpu.user + cpu.system) / 1000 / probes,
      floorMsPerProbe: floor.cpuMs / probes,
      rssMb,
    };
    runs.push(figures);
    const memory = process.memoryUsage();
    console.log(
      `run ${run}/${RUNS}: requests ${requests} (${(requests / probes).toFixed(
        2,
      )} per probe), recorded ${exchanges.length} (the floor's), ` +
        `floor wall ${floor.wallS.toFixed(2)} s, floor failures ${
          floor.failures
        }, concurrency ${CONCURRENCY}, latency ${LATENCY_MS} ms, ` +
        `store failures ${report.storeFailures}, cpu user ${(
          cpu.user / 1000
        ).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms, ` +
        `first sweep (nothing remembered) ${(first.durationMs / 1000).toFixed(
          2,
        )} s, ${firstRequests} requests and cpu ${firstCpuMsPerProbe.toFixed(
          3,
        )} ms/probe, ` +
        `rss before sweeps ${Math.round(baselineRssMb)} MB, heap ${Math.round(
          memory.heapUsed / 1048576,
        )}/${Math.round(memory.heapTotal / 1048576)} MB, external ${Math.round(
          memory.external / 1048576,
        )} MB, load average ${os
          .loadavg()
          .map(l => l.toFixed(2))
          .join(' ')}`,
    );
    console.log(probesLine(figures));
  }
  if (RUNS > 1) {
    const spread = (name: string, pick: (f: RunFigures) => number, d = 2) => {
      const v = runs.map(pick).sort((a, b) => a - b);
      return `${name} ${v[0].toFixed(d)}/${median(v).toFixed(d)}/${v[
        v.length - 1
      ].toFixed(d)}`;
    };
    console.log(
      `spread over ${RUNS} runs (min/median/max): ${[
        spread('sweep', f => f.sweepS),
        spread('ratio', f => f.sweepS / f.idealS),
        spread('cpu', f => f.cpuMsPerProbe, 3),
        spread('floor', f => f.floorMsPerProbe, 3),
        spread('cpu/floor', f => f.cpuMsPerProbe / f.floorMsPerProbe),
        spread('rss', f => f.rssMb, 0),
      ].join(', ')}`,
    );
  }
  // What the probes found (read after the runs): every row should be healthy, devices and certificates with
  // the fleet's devices and domains, so each probe did its real work.
  const sample = await store.getDeployment('system:default/bench-0');
  const statuses = new Map<string, number>();
  for (const c of sample?.components ?? [])
    statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
  const row = (id: string) =>
    sample?.components.find(c => c.component === id)?.message;
  console.log(
    `bench-0 after the runs: ${[...statuses]
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}; devices: ${row('devices')} certificates: ${row(
      'certificates',
    )} database schema: ${JSON.stringify(
      sample?.components.find(c => c.component === 'database')?.details?.[
        DRIFT_DETAILS.schemaVersion
      ],
    )}${(sample?.components ?? [])
      .filter(c => c.status !== 'healthy')
      .map(c => ` ${c.component} ${c.status}: ${c.message}`)
      .join('')}`,
  );
  if (process.env.BENCH_HEAP_SNAPSHOT)
    writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
  fleet.close();
  await knex.destroy();
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
