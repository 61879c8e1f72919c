/*
 * npm run bench:api — the REST API on a PostgreSQL store holding one day of history for DEPLOYMENTS
 * deployments (5-minute buckets, every component of COMPONENT_IDS, a probe a minute), hit by CLIENTS concurrent
 * clients (a child process) asking for single deployments and fleet pages. Storage = every plugin table and
 * index (pg_total_relation_size), scaled to 1,000 deployment-days.
 *
 * ratio = our entity p99 / the floor's entity p99 (same clients, same run). The open loop then sends
 * OPEN_RATE requests/s (default 2,000, half entity and half fleet) for OPEN_DURATION_MS (default 15 s) over
 * CLIENTS connections, latency counted from each request's due time so queueing counts (see apiLoad.ts).
 *
 * The router runs with its real store and zod validation; httpAuth and permissions are minimal
 * allow-all stand-ins (their cost is the backend's, not this plugin's). The line before the last one is the
 * floor: the same clients against bare Express sending fixed answers, which no plugin router can beat.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import { AddressInfo } from 'node:net';
import {
  COMPONENT_IDS,
  ComponentId,
  providerRegistryAnswerOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { providerRegistryEntries } from '@open-amt-backstage/plugin-open-amt-node';
import express from 'express';
import knexFactory from 'knex';
import { createRouter } from '../src/router';
import { DeploymentAccess } from '../src/services/DeploymentAccess/DeploymentAccess';
import { DeploymentRefresher } from '../src/services/DeploymentRefresher/DeploymentRefresher';
import { DatabaseHealthStore } from '../src/services/HealthStore/DatabaseHealthStore';
import type { HealthStore } from '../src/services/HealthStore/HealthStore';
import { BUCKET_MS } from '../src/services/HealthStore/history';
import {
  BucketData,
  encodeBucket,
} from '../src/services/HealthStore/bucketCodec';
import { addSample } from '../src/services/HealthStore/latencySketch';
import { RefreshRateLimiter } from '../src/services/ProbeScheduling/refreshRateLimiter';
import { deviceCounts, seededRow } from './seedRows';

const DEPLOYMENTS = Number(process.env.DEPLOYMENTS ?? 1000);
const CLIENTS = Number(process.env.CLIENTS ?? 200);
const DURATION_MS = Number(process.env.DURATION_MS ?? 15_000);
const OPEN_RATE = Number(process.env.OPEN_RATE ?? 2000);
const OPEN_DURATION_MS = Number(process.env.OPEN_DURATION_MS ?? 15_000);
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const OWNERS = [
  'group:default/platform',
  'group:default/emea',
  'group:default/apac',
  'group:default/amer',
];
const PROVIDERS = [
  { database: 'postgresql', secrets: 'vault', gateway: 'kong' },
  {
    database: 'azure-postgresql',
    secrets: 'azure-key-vault',
    gateway: 'azure-apim',
  },
  {
    database: 'amazon-rds-postgresql',
    secrets: 'aws-kms',
    gateway: 'aws-api-gateway',
  },
  { database: 'mariadb', secrets: 'vault', gateway: 'tyk' },
];

async function seed(knex: knexFactory.Knex, now: number) {
  const statuses = [
    'healthy',
    'healthy',
    'healthy',
    'degraded',
    'down',
    'unknown',
  ];
  const deployments = Array.from({ length: DEPLOYMENTS }, (_, i) => {
    const p = PROVIDERS[i % PROVIDERS.length];
    return {
      entity_ref: `system:default/deployment-${i}`,
      namespace: 'default',
      name: `deployment-${i}`,
      title: `Open AMT deployment ${i}`,
      owner: OWNERS[i % OWNERS.length],
      target: ['compose', 'kubernetes', 'aks', 'eks'][i % 4],
      database_provider: p.database,
      secrets_provider: p.secrets,
      gateway_provider: p.gateway,
      simulated: false,
      status: statuses[i % statuses.length],
      checked_at: now,
      count_healthy: COMPONENT_IDS.length - 1,
      count_degraded: 1,
      count_down: 0,
      count_unknown: 0,
    };
  });
  for (let i = 0; i < deployments.length; i += 500)
    await knex('open_amt_deployments').insert(deployments.slice(i, i + 500));
  const ids: { id: number }[] = await knex('open_amt_deployments')
    .select('id')
    .orderBy('id');
  const states = ids.flatMap(({ id }, i) =>
    COMPONENT_IDS.map(component => {
      const { message, details } = seededRow(component, i, now);
      return {
        deployment_id: id,
        component,
        provider: 'open-amt',
        support_level: 'native',
        status: 'healthy',
        latency_ms: 12,
        checked_at: now,
        since: now - 86400_000,
        message,
        details: JSON.stringify(details),
      };
    }),
  );
  for (let i = 0; i < states.length; i += 1000)
    await knex('open_amt_component_state').insert(states.slice(i, i + 1000));
  // One day: 288 buckets of 5 samples per component, latencies around 10-60 ms; a few state changes.
  const first = Math.floor((now - 86400_000) / BUCKET_MS) * BUCKET_MS;
  let rows: any[] = [];
  const transitions: any[] = [];
  for (const [i, { id }] of ids.entries()) {
    const devices = deviceCounts(i);
    for (let b = 0; b < 288; b++) {
      const data: BucketData = new Map();
      for (const component of COMPONENT_IDS) {
        const latency = new Map<number, number>();
        for (let s = 0; s < 5; s++)
          addSample(latency, 10 + ((id * 7 + b * 3 + s * 11) % 50));
        data.set(component as ComponentId, {
          samples: 5,
          up: b % 97 === 0 ? 4 : 5,
          latency,
          // The devices row's counts, as its history keeps them (the last of each bucket; a device or two on and off).
          ...(component === 'devices'
            ? {
                gauges: {
                  connectedCount: devices.connectedCount - (b % 3),
                  totalCount: devices.totalCount,
                },
              }
            : {}),
        });
      }
      rows.push({
        deployment_id: id,
        bucket_start: first + b * BUCKET_MS,
        data: encodeBucket(data),
      });
    }
    for (let t = 0; t < 4; t++) {
      transitions.push({
        deployment_id: id,
        component: 'mps',
        from_status: 'healthy',
        to_status: 'down',
        at: first + t * 6 * 3600_000,
        message: 'MPS did not answer within 5000 ms.',
      });
    }
    if (rows.length >= 5000) {
      await knex('open_amt_history').insert(rows);
      rows = [];
    }
  }
  if (rows.length) await knex('open_amt_history').insert(rows);
  for (let i = 0; i < transitions.length; i += 1000)
    await knex('open_amt_transitions').insert(transitions.slice(i, i + 1000));
  await knex.raw('VACUUM ANALYZE');
}

/**
 * The same load against a bare Express app (the framework Backstage mounts every plugin router in) whose two
 * routes send one fixed answer each, taken from the store: what no plugin code can beat on this machine.
 */
async function measureFloor(
  store: HealthStore,
  runLoad: (base: string) => Promise<any>,
) {
  const entity = (await store.getDeploymentAnswer(
    'system:default/deployment-0',
  ))!;
  const fleet = await store.listFleetAnswer({ pageSize: 50 });
  const send =
    (answer: typeof entity) =>
    (_req: express.Request, res: express.Response) => {
      res
        .writeHead(200, [
          'ETag',
          answer.etag,
          'Content-Type',
          'application/json; charset=utf-8',
          'Content-Length',
          answer.contentLength,
        ])
        .end(answer.body);
    };
  const router = express.Router();
  router.get('/deployments', send(fleet));
  router.get('/deployments/:namespace/:name', send(entity));
  const app = express();
  app.use('/api/open-amt', router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  try {
    return await runLoad(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/open-amt`,
    );
  } finally {
    server.close();
  }
}

async function main() {
  const admin = knexFactory({ client: 'pg', connection: PG });
  const dbName = `oamt_bench_api_${process.pid}`;
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(PG);
  url.pathname = `/${dbName}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 20 },
  });
  try {
    const store = await DatabaseHealthStore.create({
      database: { getClient: async () => knex },
    });
    const now = Date.now();
    await seed(knex, now);
    const { rows } = await knex.raw(
      `SELECT SUM(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
       WHERE c.relkind = 'r' AND c.relname LIKE 'open_amt_%'`,
    );
    const storageMb =
      (Number(rows[0].bytes) / 1024 / 1024) * (1000 / DEPLOYMENTS);

    const logger = {
      error() {},
      warn() {},
      info() {},
      debug() {},
      child: () => logger,
    } as any;
    const allowAll = async (reqs: any[]) =>
      reqs.map(() => ({ result: 'ALLOW' }));
    const access = new DeploymentAccess({
      authorize: allowAll,
      authorizeConditional: allowAll,
    } as any);
    const engine = {
      findTarget: async () => undefined,
      refresh: async () => undefined,
    } as any;
    const noAudit = {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    };
    const router = await createRouter({
      logger,
      httpAuth: {
        credentials: async () => ({
          principal: { type: 'user', userEntityRef: 'user:default/bench' },
        }),
      } as any,
      access,
      refresher: new DeploymentRefresher({
        access,
        engine,
        limiter: new RefreshRateLimiter(30_000),
        auditor: noAudit,
      }),
      store,
      engine,
      providers: providerRegistryAnswerOf(providerRegistryEntries({})),
    });
    const app = express();
    app.use('/api/open-amt', router);
    const server = app.listen(0, '127.0.0.1');
    await new Promise(r => server.once('listening', r));
    const base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/open-amt`;

    const runLoad = (
      clients: number,
      durationMs: number,
      target = base,
      rate = 0,
    ) =>
      new Promise<any>((resolve, reject) => {
        const load = fork(`${__dirname}/apiLoad.ts`, [], {
          execArgv: ['-r', `${__dirname}/register.js`],
          env: {
            ...process.env,
            BASE: target,
            CLIENTS: String(clients),
            DURATION_MS: String(durationMs),
            DEPLOYMENTS: String(DEPLOYMENTS),
            RATE: String(rate),
          },
        });
        load.once('message', resolve);
        load.once('error', reject);
      });
    // Service time without queueing, for reading the result: with CLIENTS clients sending back to back,
    // latency is CLIENTS / throughput (Little's law) plus the time a request waits for the CPU.
    const single = await runLoad(1, 3000);

    const profile = process.env.BENCH_CPU_PROFILE ? new Session() : undefined;
    const post = (method: string) =>
      new Promise<any>((resolve, reject) =>
        profile!.post(method, (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
    if (profile) {
      profile.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    }
    const cpuBefore = process.cpuUsage();
    const result = await runLoad(CLIENTS, DURATION_MS);
    const serverCpu = process.cpuUsage(cpuBefore);
    if (profile) {
      const { profile: data } = await post('Profiler.stop');
      writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(data));
      profile.disconnect();
    }
    const open = await runLoad(CLIENTS, OPEN_DURATION_MS, base, OPEN_RATE);
    server.close();
    const floor = await measureFloor(store, (target: string) =>
      runLoad(CLIENTS, DURATION_MS, target),
    );
    const requests = result.entity.count + result.fleet.count;
    console.log(
      `requests ${requests} in ${
        DURATION_MS / 1000
      } s by ${CLIENTS} clients, errors ${result.errors}; ` +
        `entity p50 ${result.entity.p50.toFixed(
          1,
        )} ms, fleet p50 ${result.fleet.p50.toFixed(1)} ms; ` +
        `mean response ${((result.bytes ?? 0) / requests / 1024).toFixed(
          1,
        )} KiB; cpu per request: server ${(
          (serverCpu.user + serverCpu.system) /
          requests
        ).toFixed(0)} us, load generator ${(
          result.cpuMicros / requests
        ).toFixed(0)} us; ` +
        `load average ${os
          .loadavg()
          .map(l => l.toFixed(2))
          .join(' ')}`,
    );
    console.log(
      `one client alone: entity p50 ${single.entity.p50.toFixed(
        2,
      )} ms, p99 ${single.entity.p99.toFixed(2)} ms; ` +
        `fleet p50 ${single.fleet.p50.toFixed(
          2,
        )} ms, p99 ${single.fleet.p99.toFixed(2)} ms; ` +
        `${CLIENTS} clients: ${(requests / (DURATION_MS / 1000)).toFixed(
          0,
        )} requests/s`,
    );
    console.log(
      `floor: express alone answering fixed bytes (no plugin code), same clients: entity p99 ${floor.entity.p99.toFixed(
        1,
      )} ms, ` +
        `fleet p99 ${floor.fleet.p99.toFixed(1)} ms, ${(
          (floor.entity.count + floor.fleet.count) /
          (DURATION_MS / 1000)
        ).toFixed(0)} requests/s`,
    );
    console.log(
      `open loop: ${OPEN_RATE} requests/s for ${
        OPEN_DURATION_MS / 1000
      } s over ${CLIENTS} connections, latency from each request's due time: ` +
        `${open.entity.count + open.fleet.count} requests, errors ${
          open.errors
        }; entity p50 ${open.entity.p50.toFixed(
          1,
        )} ms, p99 ${open.entity.p99.toFixed(
          1,
        )} ms, max ${open.entity.max.toFixed(
          1,
        )} ms; fleet p50 ${open.fleet.p50.toFixed(
          1,
        )} ms, p99 ${open.fleet.p99.toFixed(
          1,
        )} ms, max ${open.fleet.max.toFixed(1)} ms`,
    );
    console.log(
      `api: entity p99 ${result.entity.p99.toFixed(
        1,
      )} ms, fleet p99 ${result.fleet.p99.toFixed(
        1,
      )} ms, floor p99 ${floor.entity.p99.toFixed(1)} ms, ratio ${(
        result.entity.p99 / floor.entity.p99
      ).toFixed(
        2,
      )}, open-loop ${OPEN_RATE}/s entity p99 ${open.entity.p99.toFixed(
        1,
      )} ms, storage ${storageMb.toFixed(1)} MB per 1000 deployment-days`,
    );
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
