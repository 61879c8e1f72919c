/* Child process of bench/api.ts: CLIENTS concurrent clients, each alternating an entity and a fleet request. */
import http from 'node:http';

const BASE = process.env.BASE!;
const CLIENTS = Number(process.env.CLIENTS);
const DURATION_MS = Number(process.env.DURATION_MS);
const DEPLOYMENTS = Number(process.env.DEPLOYMENTS);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const FLEET_QUERIES = [
  '?page=1&pageSize=25',
  '?status=down,degraded&sort=status&pageSize=50',
  '?provider=kong&sort=checkedAt&order=desc&page=3',
  '?owner=group:default/emea&q=deployment-1&pageSize=25',
  '?target=aks&sort=owner&page=2&pageSize=100',
];

function get(path: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  return new Promise(resolve => {
    http
      .get(`${BASE}${path}`, { agent }, res => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - started, ok: res.statusCode === 200 }));
      })
      .on('error', () => resolve({ ms: performance.now() - started, ok: false }));
  });
}

function percentile(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

async function main() {
  const entity: number[] = [];
  const fleet: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      let i = c;
      while (Date.now() < end) {
        const isFleet = i % 2 === 1;
        const path = isFleet
          ? `/deployments${FLEET_QUERIES[i % FLEET_QUERIES.length]}`
          : `/deployments/default/deployment-${(i * 7919) % DEPLOYMENTS}`;
        const r = await get(path);
        if (!r.ok) errors += 1;
        (isFleet ? fleet : entity).push(r.ms);
        i += 1;
      }
    }),
  );
  const stats = (v: number[]) => ({ count: v.length, p50: percentile(v, 0.5), p99: percentile(v, 0.99) });
  process.send!({ entity: stats(entity), fleet: stats(fleet), errors });
  process.exit(0);
}

main();
