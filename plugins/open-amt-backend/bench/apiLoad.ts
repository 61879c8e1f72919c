/*
 * Child process of bench/api.ts: CLIENTS concurrent clients, each alternating an entity and a fleet
 * request back to back (no think time) over its own keep-alive connection, for DURATION_MS.
 *
 * Each client is a bare HTTP/1.1 exchange on a socket (request written, response read up to its
 * Content-Length), the way load generators such as wrk or autocannon work: node:http's client costs
 * about as much CPU per request as the server under test, and on a small machine that CPU, and the time
 * responses wait in this process's event loop, would be measured as server latency.
 */
import net from 'node:net';

const BASE = new URL(process.env.BASE!);
const CLIENTS = Number(process.env.CLIENTS);
const DURATION_MS = Number(process.env.DURATION_MS);
const DEPLOYMENTS = Number(process.env.DEPLOYMENTS);
const FLEET_QUERIES = [
  '?page=1&pageSize=25',
  '?status=down,degraded&sort=status&pageSize=50',
  '?provider=kong&sort=checkedAt&order=desc&page=3',
  '?owner=group:default/emea&q=deployment-1&pageSize=25',
  '?target=aks&sort=owner&page=2&pageSize=100',
];
const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that sends a GET and resolves with the status once the whole response is in. */
class Connection {
  private readonly socket: net.Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private pending?: {
    resolve(status: number): void;
    reject(error: Error): void;
  };
  /** Response bytes (head and body) this connection received. */
  bytes = 0;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', chunk => this.onData(chunk));
    socket.on('error', error => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(BASE.port), BASE.hostname, () =>
        resolve(new Connection(socket)),
      );
      socket.once('error', reject);
    });
  }

  get(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(
        `GET ${BASE.pathname}${path} HTTP/1.1\r\nHost: ${BASE.host}\r\nConnection: keep-alive\r\n\r\n`,
      );
    });
  }

  close() {
    this.socket.destroy();
  }

  private onData(chunk: Buffer) {
    this.buffered = this.buffered.length
      ? Buffer.concat([this.buffered, chunk])
      : chunk;
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let complete: number;
    if (length) {
      complete = headerEnd + 4 + Number(length[1]);
    } else {
      // Chunked (the error pages of some middleware): complete at the terminating chunk.
      const end = this.buffered.indexOf('\r\n0\r\n\r\n', headerEnd);
      if (end < 0) return;
      complete = end + 7;
    }
    if (this.buffered.length < complete) return;
    this.bytes += complete;
    this.buffered = this.buffered.subarray(complete);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(status);
  }

  private fail(error: Error) {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

function percentile(values: number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0
  );
}

async function main() {
  const entity: number[] = [];
  const fleet: number[] = [];
  let errors = 0;
  const connections = await Promise.all(
    Array.from({ length: CLIENTS }, () => Connection.open()),
  );
  const cpuBefore = process.cpuUsage();
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    connections.map(async (connection, c) => {
      let i = c;
      while (Date.now() < end) {
        const isFleet = i % 2 === 1;
        const path = isFleet
          ? `/deployments${FLEET_QUERIES[i % FLEET_QUERIES.length]}`
          : `/deployments/default/deployment-${(i * 7919) % DEPLOYMENTS}`;
        const started = performance.now();
        let ok = false;
        try {
          ok = (await connection.get(path)) === 200;
        } catch {
          ok = false;
        }
        if (!ok) errors += 1;
        (isFleet ? fleet : entity).push(performance.now() - started);
        i += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  connections.forEach(c => c.close());
  const stats = (v: number[]) => ({
    count: v.length,
    p50: percentile(v, 0.5),
    p99: percentile(v, 0.99),
  });
  const bytes = connections.reduce((n, c) => n + c.bytes, 0);
  process.send!({
    entity: stats(entity),
    fleet: stats(fleet),
    errors,
    cpuMicros: cpu.user + cpu.system,
    bytes,
  });
  process.exit(0);
}

main();
