/*
 * The demo stand-in stack, checked the way the health engine sees it: the example deployment's catalog
 * annotations read by common's readDeploymentTarget, probes by the real open-amt-node adapters, probe
 * credentials resolved from the stand-in Vault through open-amt.io/credentials-ref, the database on the
 * real local PostgreSQL. Failures are made through the control API, as the end-to-end scenario does.
 * The live part uses free ports and unique database names, so it runs beside a portal in demo mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { parse, parseAllDocuments } from 'yaml';
import {
  DeploymentTarget,
  readDeploymentTarget,
  REQUIRED_GATEWAY_ROUTES,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  certificatesAdapter,
  ciraEndpointAdapter,
  createHostGuard,
  devicesAdapter,
  databaseAdapters,
  gatewayAdapters,
  ProbeContext,
  secretSpecFromRef,
  serviceAdapters,
  vaultAdapter,
} from '@open-amt-backstage/plugin-open-amt-node';
import { RunningDemoStack, startDemoStack } from './index';
import { DEMO_DEVICES } from './standInStack';
import {
  DEMO_DEPLOYMENT,
  DEMO_HOST,
  DEMO_PORTS,
  DEMO_VAULT_TOKEN,
  DemoComponent,
  demoUrl,
} from './ports';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../../../..');

function exampleTarget(): DeploymentTarget {
  const docs = parseAllDocuments(
    fs.readFileSync(
      path.join(root, 'examples/demo-deployment/catalog-info.yaml'),
      'utf8',
    ),
  );
  const system = docs.map(d => d.toJSON()).find(e => e.kind === 'System');
  const target = readDeploymentTarget(system);
  if (!target)
    throw new Error('the example System is not an Open AMT deployment');
  return target;
}

describe('example deployment and configuration agree with the stand-in stack', () => {
  const target = exampleTarget();

  it('points every endpoint at the stack fixed ports and is marked simulated', () => {
    expect(target.problems).toEqual([]);
    expect(target.simulated).toBe(true);
    expect(target.services).toEqual({
      mps: demoUrl('mps'),
      rps: demoUrl('rps'),
      mpsrouter: demoUrl('mpsrouter'),
      webui: demoUrl('webui'),
    });
    expect(target.secrets).toEqual({
      provider: 'vault',
      endpoint: demoUrl('vault'),
      mount: DEMO_DEPLOYMENT.vaultMount,
    });
    expect(target.gateway).toEqual({
      provider: 'kong',
      url: demoUrl('gateway'),
    });
    expect(target.cira).toEqual({
      host: DEMO_HOST,
      port: DEMO_PORTS.cira,
      commonName: DEMO_DEPLOYMENT.mpsCommonName,
    });
    expect(target.database).toMatchObject({
      provider: 'postgresql',
      host: '127.0.0.1',
      port: 5432,
      rpsDatabase: DEMO_DEPLOYMENT.rpsDatabase,
      mpsDatabase: DEMO_DEPLOYMENT.mpsDatabase,
    });
    expect(target.credentialsRef).toBe(
      `vault:${DEMO_DEPLOYMENT.vaultMount}/${DEMO_DEPLOYMENT.vaultPrefix}/${DEMO_DEPLOYMENT.name}-probe`,
    );
  });

  it('app-config.yaml enables the stack and gives the health engine the stand-in Vault', () => {
    const config = parse(
      fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
    );
    expect(config.openAmt.demo.standInStack).toBe(true);
    expect(config.openAmt.health.secretStores.vault.address).toBe(
      demoUrl('vault'),
    );
    expect(config.openAmt.health.secretStores.vault.token).toContain(
      DEMO_VAULT_TOKEN,
    );
    expect(
      config.catalog.locations.map((l: { target: string }) => l.target),
    ).toContain('../../examples/demo-deployment/catalog-info.yaml');
    const production = parse(
      fs.readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8'),
    );
    expect(production.openAmt.demo.standInStack).toBe(false);
  });
});

describe('stand-in stack (live, free ports)', () => {
  const suffix = `${process.pid}`;
  const names = {
    rpsDatabase: `oamt_demotest_rps_${suffix}`,
    mpsDatabase: `oamt_demotest_mps_${suffix}`,
    rpsUser: `oamt_demotest_rps_${suffix}`,
    mpsUser: `oamt_demotest_mps_${suffix}`,
    probeUser: `oamt_demotest_probe_${suffix}`,
  };
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(`WARN ${m}`),
  };
  const ports = Object.fromEntries(
    Object.keys(DEMO_PORTS).map(k => [k, 0]),
  ) as Record<DemoComponent, number>;
  const ctx: ProbeContext = {
    timeoutMs: 3000,
    guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
  };
  let running: RunningDemoStack;
  let target: DeploymentTarget;

  beforeAll(async () => {
    running = (await startDemoStack({
      logger,
      ports,
      controlPort: 0,
      database: { names },
    }))!;
    const { urls } = running.stack;
    // The example deployment, moved to this run's ports and databases.
    const example = exampleTarget();
    const [ciraHost, ciraPort] = urls.cira.split(':');
    target = {
      ...example,
      cira: { ...example.cira!, host: ciraHost, port: Number(ciraPort) },
      services: {
        mps: urls.mps,
        rps: urls.rps,
        mpsrouter: urls.mpsrouter,
        webui: urls.webui,
      },
      secrets: { ...example.secrets!, endpoint: urls.vault },
      gateway: { ...example.gateway!, url: urls.gateway },
      database: {
        ...example.database!,
        rpsDatabase: names.rpsDatabase,
        mpsDatabase: names.mpsDatabase,
      },
    };
  });

  afterAll(async () => {
    await running?.close();
    const admin = new Client({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
    await admin.connect();
    try {
      for (const db of [names.rpsDatabase, names.mpsDatabase]) {
        await admin.query(
          `DROP DATABASE IF EXISTS ${escapeIdentifier(db)} WITH (FORCE)`,
        );
      }
      for (const user of [names.rpsUser, names.mpsUser, names.probeUser]) {
        await admin.query(`DROP ROLE IF EXISTS ${escapeIdentifier(user)}`);
      }
    } finally {
      await admin.end();
    }
  });

  const control = async (action: string, body?: unknown) => {
    const res = await fetch(`${running.control.url}/control/${action}`, {
      method: action === 'status' ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  /** Every component's status as the engine's adapters report it. */
  async function probeAll(): Promise<
    Record<string, { status: string; message: string }>
  > {
    const out: Record<string, { status: string; message: string }> = {};
    for (const id of ['mps', 'rps', 'mpsrouter', 'webui'] as const) {
      out[id] = await serviceAdapters[id].probe(target.services[id]!, ctx);
    }
    out.gateway = await gatewayAdapters.kong.probe(
      target.gateway!.url,
      REQUIRED_GATEWAY_ROUTES,
      ctx,
    );
    out.cira = await ciraEndpointAdapter.probe(target.cira!, ctx);
    out.devices = await devicesAdapter.probe(target.services.mps!, ctx);
    const ciraDetails = (out.cira as { details?: Record<string, unknown> })
      .details;
    out.certificates = await certificatesAdapter.probe(
      {
        rpsUrl: target.services.rps,
        cira:
          typeof ciraDetails?.validTo === 'string'
            ? {
                commonName: String(ciraDetails.subjectCN),
                validTo: ciraDetails.validTo,
              }
            : { unread: out.cira.message },
      },
      ctx,
    );
    const vaultSpec = {
      provider: 'vault' as const,
      address: target.secrets!.endpoint,
      mount: 'kv',
      pathPrefix: 'open-amt',
    };
    const auth = { kind: 'vault-token' as const, token: DEMO_VAULT_TOKEN };
    out.secrets = await vaultAdapter.probe(vaultSpec, auth, ctx);
    const { spec, name } = secretSpecFromRef(target.credentialsRef!, {
      vaultAddress: target.secrets!.endpoint,
    });
    const credentials = await vaultAdapter
      .read(spec, auth, name)
      .catch(() => undefined);
    if (credentials) {
      const { provider: _provider, ...db } = target.database!;
      out.database = await databaseAdapters.postgresql.probe(
        db,
        {
          user: credentials.databaseUser,
          password: credentials.databasePassword,
        },
        ctx,
      );
    }
    return out;
  }

  const statuses = (probed: Record<string, { status: string }>) =>
    Object.fromEntries(Object.entries(probed).map(([k, v]) => [k, v.status]));

  it('serves a healthy deployment: schema on the real PostgreSQL, probe credentials in the stand-in Vault', async () => {
    expect(logs.filter(l => l.startsWith('WARN'))).toEqual([]);
    const probed = await probeAll();
    expect(statuses(probed)).toEqual({
      mps: 'healthy',
      rps: 'healthy',
      mpsrouter: 'healthy',
      webui: 'healthy',
      gateway: 'healthy',
      cira: 'healthy',
      devices: 'healthy',
      certificates: 'healthy',
      secrets: 'healthy',
      database: 'healthy',
    });
    expect(probed.devices.message).toContain(
      `${DEMO_DEVICES.connected} of ${DEMO_DEVICES.total} devices connected`,
    );
    expect(probed.certificates.message).toContain(
      `domain ${DEMO_DEPLOYMENT.name}`,
    );
    expect(probed.cira.message).toContain(
      `presents MPS's certificate for ${DEMO_DEPLOYMENT.mpsCommonName}`,
    );
    expect(probed.database.message).toContain(names.rpsDatabase);
    const status = await control('status');
    expect(status.database.ok).toBe(true);
    expect(status.vault.sealed).toBe(false);
  });

  it('sealing Vault takes the store down and MPS/RPS with it; unsealing recovers', async () => {
    await control('vault/seal');
    const sealed = await probeAll();
    expect(sealed.secrets).toMatchObject({ status: 'down' });
    expect(sealed.secrets.message).toMatch(/sealed/);
    expect(sealed.mps.status).toBe('down');
    expect(sealed.rps.status).toBe('down');
    expect(sealed.webui.status).toBe('healthy');

    await control('vault/unseal');
    expect(
      Object.values(statuses(await probeAll())).every(s => s === 'healthy'),
    ).toBe(true);
  });

  it('stopping the gateway refuses connections on its port; starting it again recovers', async () => {
    await control('gateway/stop');
    expect((await control('status')).components.gateway.running).toBe(false);
    const stopped = await probeAll();
    expect(stopped.gateway.status).toBe('down');
    expect(stopped.gateway.message).toMatch(/refused/);
    expect(stopped.mps.status).toBe('healthy');

    await control('gateway/start');
    expect((await probeAll()).gateway.status).toBe('healthy');
  });

  it('stopping the CIRA endpoint refuses connections; a deployment scaffolded against the stack gets its own certificate', async () => {
    await control('cira/stop');
    const stopped = await probeAll();
    expect(stopped.cira.status).toBe('down');
    expect(stopped.cira.message).toMatch(/refused/);
    expect(stopped.mps.status).toBe('healthy');

    await control('cira/start');
    expect((await probeAll()).cira.status).toBe('healthy');
    // The stand-in mints a key and certificate for the new name during the handshake: seconds on a loaded CI
    // machine, so this probe (about names, not time) gets a wider budget.
    const scaffolded = await ciraEndpointAdapter.probe(
      { ...target.cira!, commonName: 'mps.amt-e2e-1.example.com' },
      { ...ctx, timeoutMs: 15_000 },
    );
    expect(scaffolded).toMatchObject({
      status: 'healthy',
      details: { subjectCN: 'mps.amt-e2e-1.example.com' },
    });
  });

  it('stopping MPS shows through the MPS Router; reset brings everything back', async () => {
    await control('mps/stop');
    const stopped = await probeAll();
    expect(stopped.mps.status).toBe('down');
    expect(stopped.mpsrouter.status).not.toBe('healthy');
    await control('reset');
    expect(
      Object.values(statuses(await probeAll())).every(s => s === 'healthy'),
    ).toBe(true);
  });

  it('connects and disconnects devices through the control API, refusing a bad count before changing anything', async () => {
    const set = await control('devices', { connected: 7, total: 9 });
    expect(set.devices).toEqual({ total: 9, connected: 7 });
    expect((await probeAll()).devices).toMatchObject({
      details: { totalCount: 9, connectedCount: 7, disconnectedCount: 2 },
    });
    await control('devices', { connected: 0 });
    expect((await probeAll()).devices).toMatchObject({
      details: { totalCount: 9, connectedCount: 0 },
    });
    for (const [body, field] of [
      [{ connected: 10 }, 'connected'],
      [{ connected: 1, total: -1 }, 'total'],
      [{ connected: 'all' }, 'connected'],
      ['not json', 'body'],
    ] as const) {
      const res = await fetch(`${running.control.url}/control/devices`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(new RegExp(`^${field}:`));
    }
    expect((await control('status')).devices).toEqual({
      total: 9,
      connected: 0,
    });
    await control('reset');
    expect((await control('status')).devices).toEqual(DEMO_DEVICES);
  });

  it('moves the provisioning certificate towards expiry through the control API, refusing a bad value first', async () => {
    const days = (probed: any) =>
      probed.certificates.details.certificates.find(
        (c: { kind: string }) => c.kind === 'provisioning',
      ).daysLeft;
    expect(days(await probeAll())).toBe(200);
    await control('certificates', { daysLeft: 7 });
    const soon = await probeAll();
    expect(soon.certificates.status).toBe('degraded');
    expect(days(soon)).toBe(7);
    await control('certificates', { daysLeft: -2 });
    const expired = await probeAll();
    expect(expired.certificates.status).toBe('down');
    expect(days(expired)).toBeLessThan(0);
    for (const body of [{ daysLeft: 1.5 }, { daysLeft: 99999 }, {}]) {
      const res = await fetch(`${running.control.url}/control/certificates`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/^daysLeft:/);
    }
    expect(days(await probeAll())).toBeLessThan(0);
    await control('reset');
    expect(days(await probeAll())).toBe(200);
  });

  it('refuses unknown actions and a second stack on the same control port', async () => {
    const res = await fetch(`${running.control.url}/control/database/seal`, {
      method: 'POST',
    });
    expect(res.status).toBe(404);
    const port = Number(new URL(running.control.url).port);
    await expect(
      startDemoStack({ logger, ports, controlPort: port, database: { names } }),
    ).resolves.toBeUndefined();
  });
});
