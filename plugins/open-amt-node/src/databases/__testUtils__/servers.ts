import { createServer, type AddressInfo, type Server, type Socket } from 'net';
import type { HostGuard, ProbeContext } from '../../types';

/** The real guard lives in src/net; these tests exercise the adapters, so every host is allowed. */
export const allowAllGuard: HostGuard = {
  assertAllowed: async () => undefined,
};

export function probeContext(
  timeoutMs: number,
  guard: HostGuard = allowAllGuard,
): ProbeContext {
  return { timeoutMs, guard };
}

export interface TestServer {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

async function listen(
  server: Server,
  sockets: Set<Socket>,
  counter: { n: number },
): Promise<TestServer> {
  server.on('connection', socket => {
    counter.n++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => counter.n,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** Accepts TCP connections and never sends a byte: the classic hung database. */
export function startSilentServer(): Promise<TestServer> {
  return listen(createServer(), new Set(), { n: 0 });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startSilentServer();
  await s.close();
  return s.port;
}

function pgMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function pgError(sqlstate: string, message: string): Buffer {
  const field = (k: string, v: string) =>
    Buffer.concat([
      Buffer.from(k, 'latin1'),
      Buffer.from(v, 'utf8'),
      Buffer.from([0]),
    ]);
  return pgMessage(
    'E',
    Buffer.concat([
      field('S', 'FATAL'),
      field('V', 'FATAL'),
      field('C', sqlstate),
      field('M', message),
      Buffer.from([0]),
    ]),
  );
}

/**
 * Speaks just enough of the PostgreSQL v3 protocol to fail a login the way a real server does: after the
 * StartupMessage it either asks for a cleartext password and then rejects it (28P01), or refuses at once
 * (57P03 starting up, 53300 too many clients). Our local server uses trust auth, so a wrong password cannot
 * be produced there.
 */
export function startFailingPostgresServer(failure: {
  sqlstate: string;
  message: string;
  askPassword?: boolean;
}): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    let stage: 'startup' | 'password' | 'done' = 'startup';
    socket.on('data', () => {
      if (stage === 'startup') {
        if (failure.askPassword) {
          const body = Buffer.alloc(4);
          body.writeInt32BE(3, 0); // AuthenticationCleartextPassword
          socket.write(pgMessage('R', body));
          stage = 'password';
          return;
        }
      }
      if (stage !== 'done') {
        stage = 'done';
        socket.end(pgError(failure.sqlstate, failure.message));
      }
    });
  });
  return listen(server, sockets, { n: 0 });
}
