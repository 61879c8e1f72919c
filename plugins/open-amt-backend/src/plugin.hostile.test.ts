/**
 * Hostile catalog entities against the real backend plugin (see the threat model in the README): anyone who can
 * register a catalog location writes annotations, so an entity may aim the probes at listeners of its own. The
 * listeners here record everything they receive; none may receive a credential it was not issued for.
 */
import {
  createServer as createHttpServer,
  request as httpRequest,
  Server as HttpServer,
} from 'node:http';
import {
  AddressInfo,
  createServer as createTcpServer,
  Server as TcpServer,
  Socket,
} from 'node:net';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentHealth,
  RefreshResult,
} from '@open-amt-backstage/plugin-open-amt-common';
import request from 'supertest';
import {
  ContractDeployment,
  startContractDeployment,
} from './__testUtils__/contractDeployment';
import { openAmtPlugin } from './plugin';

jest.setTimeout(60_000);

/** An HTTP listener that answers like an unsealed Vault and records every request's headers. */
async function startRecordingVault() {
  const seen: Array<{
    path: string;
    headers: Record<string, string | string[] | undefined>;
  }> = [];
  const server: HttpServer = createHttpServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        initialized: true,
        sealed: false,
        standby: false,
        version: '1.21.0',
        data: { ttl: 0 },
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise(r => server.close(r)),
  };
}

/**
 * A PostgreSQL impostor: answers the startup message with AuthenticationCleartextPassword, as a server of its own
 * may, so a client that was going to log in sends its password in the clear. Records every byte.
 */
async function startFakePostgres() {
  const received: Buffer[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer(socket => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () =>
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])),
    ); // 'R', len 8, cleartext
    socket.on('data', (chunk: Buffer) => received.push(chunk));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    text: () => Buffer.concat(received).toString('latin1'),
    connections: () => connections,
    close: () =>
      new Promise(r => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}

function hostileSystem(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name,
      namespace,
      annotations: { 'open-amt.io/deployment': name, ...annotations },
    },
    spec: { owner: 'group:default/someone' },
  };
}

describe('hostile catalog entities', () => {
  let victim: ContractDeployment;
  let vaultListener: Awaited<ReturnType<typeof startRecordingVault>>;
  let fakePostgres: Awaited<ReturnType<typeof startFakePostgres>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const catalogCalls: string[] = [];
  const user = () => ({ Authorization: mockCredentials.user.header() });

  beforeAll(async () => {
    victim = await startContractDeployment({ name: 'victim' });
    vaultListener = await startRecordingVault();
    fakePostgres = await startFakePostgres();
    const borrowed = {
      'open-amt.io/database-provider': 'postgresql',
      'open-amt.io/database-endpoint': `127.0.0.1:${fakePostgres.port}`,
      'open-amt.io/database-tls-mode': 'disable',
      'open-amt.io/credentials-ref':
        victim.entity.metadata.annotations!['open-amt.io/credentials-ref'],
    };
    const catalog = catalogServiceMock({
      entities: [
        victim.entity,
        hostileSystem('aims-vault', {
          'open-amt.io/secrets-provider': 'vault',
          'open-amt.io/secrets-endpoint': vaultListener.url,
        }),
        hostileSystem('borrower', borrowed),
        // Same name as the victim, another namespace: the entry's name matches, its owner does not.
        hostileSystem('victim', borrowed, 'attackers'),
      ],
    });
    for (const method of [
      'getEntityByRef',
      'getEntitiesByRefs',
      'getEntities',
      'queryEntities',
    ] as const) {
      const original = (
        catalog[method] as (...args: unknown[]) => unknown
      ).bind(catalog);
      (catalog as any)[method] = (...args: unknown[]) => {
        catalogCalls.push(method);
        return original(...args);
      };
    }
    backend = await startTestBackend({
      features: [
        openAmtPlugin,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true } as any),
        mockServices.rootConfig.factory({
          data: {
            openAmt: {
              health: {
                allowedHosts: ['127.0.0.1'],
                timeoutMs: 3000,
                jitterMs: 0,
                refreshRateLimitSeconds: 60,
                // The portal's own Vault is the victim's: its token must never go anywhere else.
                secretStores: {
                  vault: {
                    address: victim.vault.url,
                    token: victim.vault.rootToken,
                  },
                },
              },
            },
          },
        }),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await Promise.all([
      victim?.close(),
      vaultListener?.close(),
      fakePostgres?.close(),
    ]);
  });

  const refresh = async (namespace: string, name: string) => {
    const res = await request(backend.server)
      .post(`/api/open-amt/deployments/${namespace}/${name}/refresh`)
      .set(user());
    expect(res.status).toBe(200);
    return (res.body as RefreshResult).health as DeploymentHealth;
  };
  const component = (health: DeploymentHealth, id: string) =>
    health.components.find(c => c.component === id)!;

  it("an entity aiming its secrets endpoint at a listener receives no token of the portal's", async () => {
    const health = await refresh('default', 'aims-vault');
    expect(vaultListener.seen.length).toBeGreaterThan(0); // it was probed: reachability and seal state
    for (const { headers } of vaultListener.seen) {
      expect(headers['x-vault-token']).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(victim.vault.rootToken);
    }
    expect(vaultListener.seen.map(s => s.path)).toEqual(['/v1/sys/health']);
    const secrets = component(health, 'secrets');
    expect(secrets.message).toMatch(
      /Not probed with credentials: .* is not the portal's Vault/,
    );
    expect(secrets.details).toMatchObject({ credentials: 'none' });
  });

  it.each([
    [
      'default',
      'borrower',
      /victim-probe is not this deployment's probe entry \(expected one named borrower-probe\)/,
    ],
    [
      'attackers',
      'victim',
      /provisioned for system:default\/victim, not system:attackers\/victim/,
    ],
  ])(
    "%s/%s borrowing another deployment's credentials gets an error; its listener receives no login",
    async (ns, name, why) => {
      const health = await refresh(ns, name);
      const database = component(health, 'database');
      expect(database.status).toBe('unknown');
      expect(database.message).toMatch(why);
      expect(fakePostgres.connections()).toBe(0);
      expect(fakePostgres.text()).not.toContain(victim.databasePassword);
      expect(JSON.stringify(health)).not.toContain(victim.databasePassword);
    },
  );

  it('the victim itself is still probed with its own credentials', async () => {
    const health = await refresh('default', 'victim');
    expect(component(health, 'database').message).not.toMatch(/not probed/i);
    expect(component(health, 'secrets').message).not.toMatch(
      /without credentials/,
    );
  });

  /** Raw requests: a client library would normalise `..` away before sending. */
  const raw = (method: string, path: string) =>
    new Promise<number>((resolve, reject) => {
      const { port } = backend.server.address() as AddressInfo;
      const req = httpRequest(
        { host: '127.0.0.1', port, method, path, headers: user() },
        res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });

  it.each([
    ['GET', '/api/open-amt/deployments/../..'],
    ['POST', '/api/open-amt/deployments/../../refresh'],
    ['GET', '/api/open-amt/deployments/default/..'],
    ['GET', '/api/open-amt/deployments/./victim'],
    ['GET', '/api/open-amt/deployments/%2e%2e/%2E%2E'],
    ['GET', '/api/open-amt/deployments/default/..%2F..'],
    ['GET', '/api/open-amt/deployments/default/..%2F../history'],
    ['GET', '/api/open-amt/deployments/Default/victim'],
    ['GET', '/api/open-amt/deployments/default/-victim'],
  ])('%s %s → 400 and no catalog request', async (method, path) => {
    catalogCalls.length = 0;
    expect(await raw(method, path)).toBe(400);
    expect(catalogCalls).toEqual([]);
  });

  it('an unknown deployment is 404 and spends no refresh slot', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await request(backend.server)
            .post('/api/open-amt/deployments/default/not-there/refresh')
            .set(user())
        ).status,
      ).toBe(404);
    }
  });

  it.each(['March 7, 2026', '2026', '7/3/2026', '2026-03-07 12:00'])(
    'history from=%s → 400 (not ISO 8601)',
    async from => {
      const res = await request(backend.server)
        .get(
          `/api/open-amt/deployments/default/victim/history?from=${encodeURIComponent(
            from,
          )}`,
        )
        .set(user());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/ISO 8601/);
    },
  );

  it('ISO 8601 dates and date-times are accepted', async () => {
    for (const from of [
      '2026-03-07',
      '2026-03-07T12:00:00Z',
      '2026-03-07T12:00:00.123+01:00',
    ]) {
      const to = '2026-03-08T00:00:00Z';
      const res = await request(backend.server)
        .get(
          `/api/open-amt/deployments/default/victim/history?from=${encodeURIComponent(
            from,
          )}&to=${encodeURIComponent(to)}`,
        )
        .set(user());
      expect([200, 404]).toContain(res.status);
    }
  });
});
