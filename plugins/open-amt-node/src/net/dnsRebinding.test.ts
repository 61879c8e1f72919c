/**
 * DNS rebinding: a name is checked by the host guard (answer: an allowed address), then the system resolver is
 * repointed to an address outside allowedHosts. Every probe kind must connect to the address that was checked;
 * a driver that resolves the name again (as pg, mariadb and tedious do by default) would reach the new address
 * and hand it the login and password.
 */
import dns from 'node:dns';
import {
  connect,
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { databaseAdapters } from '../databases';
import type { ProbeContext } from '../types';
import { createHostGuard } from './hostGuard';
import { probeHttp } from './probeHttp';

const NAME = 'db.rebind.test';
const CHECKED = '127.0.0.1';
const REBOUND = '127.0.0.2';

interface Recorder {
  connections: number;
  bytes: Buffer[];
  close(): Promise<void>;
}

async function record(
  address: string,
  port: number,
): Promise<Recorder & { port: number }> {
  const sockets = new Set<Socket>();
  const seen = { connections: 0, bytes: [] as Buffer[] };
  const server: Server = createServer(socket => {
    seen.connections++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => seen.bytes.push(chunk));
    socket.on('error', () => {});
    // Close soon: the driver gives up and the probe settles; what matters is who was dialled.
    setTimeout(() => socket.destroy(), 50);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  return Object.assign(seen, {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** Two recorders on one port: the checked address and the one DNS answers with afterwards. */
async function pairOfRecorders(): Promise<{
  port: number;
  checked: Recorder;
  rebound: Recorder;
}> {
  for (let attempt = 0; ; attempt++) {
    const checked = await record(CHECKED, 0);
    try {
      return {
        port: checked.port,
        checked,
        rebound: await record(REBOUND, checked.port),
      };
    } catch (error) {
      await checked.close();
      if (attempt > 5) throw error;
    }
  }
}

describe('every probe connects to the address the guard checked', () => {
  let port: number;
  let checked: Recorder;
  let rebound: Recorder;
  let lookupSpy: jest.SpyInstance;
  const ctx = (): ProbeContext => ({
    timeoutMs: 1500,
    // The guard's resolver answers the allowed address; 127.0.0.2 is outside allowedHosts.
    guard: createHostGuard({
      allowedHosts: [`${CHECKED}/32`],
      resolve: async () => [{ address: CHECKED, family: 4 }],
      cacheTtlMs: 0,
    }),
  });

  beforeAll(async () => {
    ({ port, checked, rebound } = await pairOfRecorders());
    const realLookup = dns.lookup;
    // The system resolver now answers the rebound address (what an attacker's DNS does after the check).
    lookupSpy = jest.spyOn(dns, 'lookup').mockImplementation(((
      host: string,
      options: unknown,
      callback?: unknown,
    ) => {
      const cb = (typeof options === 'function' ? options : callback) as (
        ...args: unknown[]
      ) => void;
      const opts = (typeof options === 'object' && options) || {};
      if (host !== NAME)
        return (realLookup as (...a: unknown[]) => void)(
          host,
          options,
          callback,
        );
      if ((opts as { all?: boolean }).all)
        return cb(null, [{ address: REBOUND, family: 4 }]);
      return cb(null, REBOUND, 4);
    }) as typeof dns.lookup);
  });
  afterAll(async () => {
    lookupSpy.mockRestore();
    await Promise.all([checked.close(), rebound.close()]);
  });
  beforeEach(() => {
    checked.connections = 0;
    rebound.connections = 0;
    rebound.bytes = [];
  });

  it('the test set-up really rebinds: a plain connect by name reaches the rebound address', async () => {
    await new Promise<void>(resolve => {
      const socket = connect(port, NAME);
      socket.on('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => resolve());
    });
    expect(rebound.connections).toBe(1);
  });

  it.each(['postgresql', 'mariadb', 'azure-sql'] as const)(
    '%s probe',
    async provider => {
      await databaseAdapters[provider].probe(
        {
          host: NAME,
          port,
          tlsMode: 'disable',
          rpsDatabase: 'rpsdb',
          mpsDatabase: 'mpsdb',
        },
        { user: 'probe_user', password: 'Rebind-Secret-1x' },
        ctx(),
      );
      expect(rebound.connections).toBe(0);
      expect(Buffer.concat(rebound.bytes).toString('latin1')).not.toContain(
        'probe_user',
      );
      expect(checked.connections).toBeGreaterThan(0);
    },
  );

  it('HTTP probe', async () => {
    await probeHttp(`http://${NAME}:${port}/api/v1/health`, ctx());
    expect(rebound.connections).toBe(0);
    expect(checked.connections).toBeGreaterThan(0);
  });
});
