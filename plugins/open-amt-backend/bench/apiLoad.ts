/*
 * Child process of bench/api.ts: CLIENTS concurrent clients, each alternating an entity and a fleet
 * request back to back (no think time) over its own keep-alive connection, for DURATION_MS.
 *
 * With RATE set, an open loop instead: request i (alternating entity and fleet as above) is due at
 * start + i / RATE seconds whatever the answers do, sent on the longest-idle one of CLIENTS connections, and
 * its latency counts from that due time, so time spent waiting for the server or a free connection counts
 * (no coordinated omission).
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
const RATE = Number(process.env.RATE ?? 0);
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
    socket.on('data', chunk => this.onData(chunk as Buffer));
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
      if (this.socket.destroyed) {
        reject(new Error('connection closed'));
        return;
      }
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

function pathFor(i: number) {
  const isFleet = i % 2 === 1;
  return {
    isFleet,
    path: isFleet
      ? `/deployments${FLEET_QUERIES[i % FLEET_QUERIES.length]}`
      : `/deployments/default/deployment-${(i * 7919) % DEPLOYMENTS}`,
  };
}

/** The open loop: every request sent at its due time (or as soon as a connection frees), latency from that time. */
async function openLoop(
  connections: Connection[],
  rate: number,
  record: (isFleet: boolean, ok: boolean, ms: number) => void,
) {
  // Oldest idle first: every connection stays in use, none sits past the server's keep-alive timeout (5 s).
  const idle = [...connections];
  const backlog: number[] = [];
  const total = Math.floor((rate * DURATION_MS) / 1000);
  const start = performance.now();
  const due = (i: number) => start + (i * 1000) / rate;
  let scheduled = 0;
  let done = 0;
  return new Promise<void>(resolve => {
    const send = async (connection: Connection, i: number) => {
      const { isFleet, path } = pathFor(i);
      let ok = false;
      try {
        ok = (await connection.get(path)) === 200;
      } catch {
        ok = false;
      }
      record(isFleet, ok, performance.now() - due(i));
      done += 1;
      const waiting = backlog.shift();
      if (waiting !== undefined) send(connection, waiting);
      else idle.push(connection);
      if (done === total) resolve();
    };
    // Timers fire late on a loaded machine: each tick sends everything due by now, each with its own due time.
    const tick = () => {
      const now = performance.now();
      while (scheduled < total && due(scheduled) <= now) {
        const connection = idle.shift();
        if (connection) send(connection, scheduled);
        else backlog.push(scheduled);
        scheduled += 1;
      }
      if (scheduled < total) setTimeout(tick, 1);
    };
    tick();
  });
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
  if (RATE > 0) {
    await openLoop(connections, RATE, (isFleet, ok, ms) => {
      if (!ok) errors += 1;
      (isFleet ? fleet : entity).push(ms);
    });
  } else {
    await Promise.all(
      connections.map(async (connection, c) => {
        let i = c;
        while (Date.now() < end) {
          const { isFleet, path } = pathFor(i);
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
  }
  const cpu = process.cpuUsage(cpuBefore);
  connections.forEach(c => c.close());
  const stats = (v: number[]) => ({
    count: v.length,
    p50: percentile(v, 0.5),
    p99: percentile(v, 0.99),
    max: percentile(v, 1),
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
