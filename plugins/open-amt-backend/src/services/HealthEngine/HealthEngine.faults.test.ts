/*
 * Fault tests end to end: a deployment of contract servers (and the real local PostgreSQL / MariaDB) with
 * one fault each, refreshed through the engine. Each must end in its documented status within the probe
 * timeout; the table printed at the end is the one in the README.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ComponentHealth,
  ComponentId,
  HealthStatus,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  mariadbAdapter,
  postgresqlAdapter,
  serviceAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  startSilentSocketServer,
  startVaultServer,
  startWrongHostTlsServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import mariadb, { Connection } from 'mariadb';
import { Client } from 'pg';
import {
  ContractDeployment,
  startContractDeployment,
} from '../../__testUtils__/contractDeployment';
import { createTestEngine } from '../../__testUtils__/testEngine';
import { defaultProbeAdapters } from '../createHealthServices';
import { loggedLines } from '../../__testUtils__/loggedLines';

jest.setTimeout(120_000);

const TIMEOUT_MS = 2000;
const pid = process.pid;
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

interface FaultRow {
  fault: string;
  component: ComponentId;
  status: HealthStatus;
  ms: number;
  message: string;
}
const table: FaultRow[] = [];
const secretsNotToShow: string[] = [];

describe('health engine fault handling', () => {
  let vault: VaultContractServer;
  const deployments: ContractDeployment[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    vault = await startVaultServer();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch(() => undefined);
    await Promise.all(deployments.map(d => d.close()));
    await vault.close();
    const lines = table.map(
      r =>
        `| ${r.fault} | ${r.component} | ${r.status} | ${
          r.ms
        } | ${r.message.replace(/\|/g, '/')} |`,
    );
    process.stdout.write(
      `\nFault table (timeout ${TIMEOUT_MS} ms)\n| fault | component | status | ms | message |\n|---|---|---|---|---|\n${lines.join(
        '\n',
      )}\n`,
    );
  });

  async function deploymentWith(
    name: string,
    options: Parameters<typeof startContractDeployment>[0] extends infer O
      ? Partial<O>
      : never = {},
  ) {
    const d = await startContractDeployment({ name, vault, ...options });
    deployments.push(d);
    return d;
  }

  /** Refreshes one deployment through a fresh engine and returns the faulty component's row. */
  async function classify(
    fault: string,
    deployment: ContractDeployment,
    component: ComponentId,
    options: {
      health?: Record<string, unknown>;
      adapters?: typeof defaultProbeAdapters;
    } = {},
  ): Promise<ComponentHealth> {
    const knex = await databases.init('SQLITE_3');
    const { engine, logger } = await createTestEngine({
      database: mockServices.database({ knex }),
      entities: [deployment.entity],
      health: {
        timeoutMs: TIMEOUT_MS,
        secretStores: { vault: { address: vault.url, token: vault.rootToken } },
        ...options.health,
      },
      adapters: options.adapters,
    });
    const started = Date.now();
    const health = await engine.refresh(deployment.entityRef);
    const ms = Date.now() - started;
    const result = health!.components.find(c => c.component === component)!;
    table.push({
      fault,
      component,
      status: result.status,
      ms,
      message: result.message,
    });
    expect(ms).toBeLessThanOrEqual(TIMEOUT_MS + 300);
    // Nothing secret leaks into the stored result or the logs, whatever failed.
    const visible = JSON.stringify(health) + loggedLines(logger).join('\n');
    expect(visible).not.toContain(deployment.databasePassword);
    expect(visible).not.toContain(vault.rootToken);
    for (const token of secretsNotToShow) expect(visible).not.toContain(token);
    return result;
  }

  it('a socket that accepts and never answers → down at the timeout', async () => {
    const silent = await startSilentSocketServer();
    cleanups.push(() => silent.close());
    const d = await deploymentWith('fault-silent', {
      extraAnnotations: { 'open-amt.io/mps-url': silent.url },
    });
    const r = await classify('silent socket (MPS)', d, 'mps');
    expect(r.status).toBe('down');
    expect(r.latencyMs).toBeUndefined();
  });

  it('an adapter that never settles is cut off by the engine → down', async () => {
    const d = await deploymentWith('fault-hang');
    const hanging = {
      ...serviceAdapters,
      webui: {
        component: 'webui' as const,
        probe: () => new Promise<never>(() => {}),
      },
    };
    const r = await classify('adapter hangs (Web UI)', d, 'webui', {
      adapters: { ...defaultProbeAdapters, services: hanging },
    });
    expect(r).toMatchObject({ status: 'down', details: { timedOut: true } });
  });

  it('a TLS certificate for another host → down', async () => {
    const tls = await startWrongHostTlsServer();
    cleanups.push(() => tls.close());
    const d = await deploymentWith('fault-tls', {
      extraAnnotations: { 'open-amt.io/rps-url': tls.url },
    });
    const r = await classify(
      'TLS certificate for the wrong host (RPS)',
      d,
      'rps',
    );
    expect(r.status).toBe('down');
    expect(r.message).toMatch(/TLS|certificate/i);
  });

  it('a gateway terminating TLS on 4433 (certificate for another name) → CIRA down', async () => {
    const tls = await startWrongHostTlsServer();
    cleanups.push(() => tls.close());
    const d = await deploymentWith('fault-cira-tls', {
      extraAnnotations: { 'open-amt.io/cira-endpoint': new URL(tls.url).host },
    });
    const r = await classify(
      'CIRA certificate for another name (gateway terminates TLS)',
      d,
      'cira',
    );
    expect(r).toMatchObject({
      status: 'down',
      provider: 'open-amt',
      supportLevel: 'native',
      details: {
        subjectAltNames: ['wrong-host.example'],
        chainVerified: false,
      },
    });
    expect(r.message).toMatch(
      /does not cover mps\.fault-cira-tls\.example\.com: the gateway may be terminating TLS/,
    );
  });

  it('HTTP instead of TLS on the CIRA port → down', async () => {
    const d = await deploymentWith('fault-cira-http');
    d.entity.metadata.annotations!['open-amt.io/cira-endpoint'] = new URL(
      d.webUi.url,
    ).host;
    const r = await classify(
      'no TLS on the CIRA port (HTTP answers)',
      d,
      'cira',
    );
    expect(r.status).toBe('down');
    expect(r.message).toMatch(/^No TLS on 127\.0\.0\.1:\d+ — /);
  });

  it('DNS failure → down', async () => {
    const d = await deploymentWith('fault-dns', {
      extraAnnotations: {
        'open-amt.io/webui-url': 'http://no-such-host.invalid',
      },
    });
    const r = await classify('DNS failure (Web UI)', d, 'webui', {
      health: { allowedHosts: ['127.0.0.1', '*.invalid'] },
    });
    expect(r.status).toBe('down');
    expect(r.message).toMatch(/DNS|resolve|not found/i);
  });

  it('5xx → down', async () => {
    const d = await deploymentWith('fault-5xx');
    d.rps.failNext(500, 10);
    const r = await classify('HTTP 500 (RPS)', d, 'rps');
    expect(r.status).toBe('down');
  });

  it('invalid JSON → down', async () => {
    const d = await deploymentWith('fault-json');
    d.mps.failNext('invalid-json', 10);
    const r = await classify('invalid JSON (MPS health)', d, 'mps');
    expect(r.status).toBe('down');
  });

  it('a 10 MB body → refused, down', async () => {
    const d = await deploymentWith('fault-huge');
    d.kong.failNext('huge-body', 10);
    const r = await classify('10 MB body (Kong admin)', d, 'gateway');
    expect(r.status).toBe('down');
    expect(r.message).toMatch(/large|limit|MB|bytes/i);
  });

  it('Vault sealed → down; uninitialized → down; standby → degraded', async () => {
    const sealedVault = await startVaultServer({ state: { sealed: true } });
    const uninitVault = await startVaultServer({
      state: { initialized: false },
    });
    const standbyVault = await startVaultServer({ state: { standby: true } });
    cleanups.push(
      () => sealedVault.close(),
      () => uninitVault.close(),
      () => standbyVault.close(),
    );
    secretsNotToShow.push(standbyVault.rootToken);
    const sealed = await deploymentWith('fault-sealed', {
      extraAnnotations: { 'open-amt.io/secrets-endpoint': sealedVault.url },
    });
    expect(
      (await classify('Vault sealed (503)', sealed, 'secrets')).status,
    ).toBe('down');
    const uninit = await deploymentWith('fault-uninit', {
      extraAnnotations: { 'open-amt.io/secrets-endpoint': uninitVault.url },
    });
    expect(
      (await classify('Vault not initialized (501)', uninit, 'secrets')).status,
    ).toBe('down');
    // The deployment's own Vault token comes from its credentials entry (vaultToken).
    const standby = await deploymentWith('fault-standby', {
      extraAnnotations: { 'open-amt.io/secrets-endpoint': standbyVault.url },
      extraCredentials: { vaultToken: standbyVault.rootToken },
    });
    const r = await classify('Vault standby (429)', standby, 'secrets');
    expect(r.status).toBe('degraded');
    expect(r.message).toMatch(/standby/);
    expect(r.message).not.toMatch(/refused|cannot read/);
    expect(r.details).toMatchObject({ healthCode: 429, standby: true });
  });

  it('a host outside allowedHosts and a metadata address are never contacted → unknown', async () => {
    const d = await deploymentWith('fault-ssrf', {
      extraAnnotations: {
        'open-amt.io/mps-url': 'http://169.254.169.254/latest/meta-data',
        'open-amt.io/rps-url': 'http://10.255.255.1:8081',
      },
    });
    const mps = await classify('cloud metadata address (MPS)', d, 'mps', {
      health: { allowedHosts: ['127.0.0.1', '0.0.0.0/0'] },
    });
    expect(mps.status).toBe('unknown');
    const rps = await classify('host not in allowedHosts (RPS)', d, 'rps');
    expect(rps.status).toBe('unknown');
  });

  describe('real PostgreSQL', () => {
    const rpsDatabase = `oamt_be_rps_${pid}`;
    const mpsDatabase = `oamt_be_mps_${pid}`;
    const emptyRps = `oamt_be_empty_rps_${pid}`;
    const emptyMps = `oamt_be_empty_mps_${pid}`;
    const probeUser = `oamt_be_probe_${pid}`;
    let admin: Client;

    beforeAll(async () => {
      admin = new Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: 'postgres',
      });
      await admin.connect();
      await postgresqlAdapter.initialize(
        {
          host: '127.0.0.1',
          port: 5432,
          tlsMode: 'disable',
          rpsDatabase,
          mpsDatabase,
        },
        { user: 'postgres', password: 'unused-with-trust' },
        {
          rps: { user: `${probeUser}_r`, password: 'Rps-Probe-Pass-1x' },
          mps: { user: `${probeUser}_m`, password: 'Mps-Probe-Pass-1x' },
        },
      );
      await admin.query(`CREATE DATABASE ${emptyRps}`);
      await admin.query(`CREATE DATABASE ${emptyMps}`);
    });
    afterAll(async () => {
      for (const db of [rpsDatabase, mpsDatabase, emptyRps, emptyMps])
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      for (const user of [`${probeUser}_r`, `${probeUser}_m`])
        await admin.query(`DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
      await admin.end();
    });

    it('a healthy schema → healthy (control)', async () => {
      const d = await deploymentWith('pg-ok', {
        database: { rpsDatabase, mpsDatabase },
        databaseUser: 'postgres',
      });
      expect(
        (await classify('PostgreSQL, schema present (control)', d, 'database'))
          .status,
      ).toBe('healthy');
    });

    it('authentication failure → down', async () => {
      // The local server trusts 127.0.0.1, so any password is accepted; an unknown role is the
      // authentication failure it can produce (SQLSTATE 28000, like 28P01 for a wrong password).
      const d = await deploymentWith('pg-auth', {
        database: { rpsDatabase, mpsDatabase },
        databaseUser: `oamt_no_such_role_${pid}`,
      });
      const r = await classify(
        'PostgreSQL authentication failure (unknown role)',
        d,
        'database',
      );
      expect(r.status).toBe('down');
      expect(r.message).toMatch(/auth|role|password|credential/i);
    });

    it('missing tables → down', async () => {
      const d = await deploymentWith('pg-tables', {
        database: { rpsDatabase: emptyRps, mpsDatabase: emptyMps },
        databaseUser: 'postgres',
      });
      const r = await classify('PostgreSQL tables missing', d, 'database');
      expect(['down', 'degraded']).toContain(r.status);
      expect(r.message).toMatch(/table/i);
    });
  });

  describe('real MariaDB', () => {
    const rpsDatabase = `oamt_be_rps_${pid}`;
    const mpsDatabase = `oamt_be_mps_${pid}`;
    const probeUser = `oamt_be_probe_${pid}`;
    const probePassword = 'Maria-Probe-Pass-1x';
    let root: Connection;

    beforeAll(async () => {
      root = await mariadb.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
      });
      await mariadbAdapter.initialize(
        {
          host: '127.0.0.1',
          port: 3306,
          tlsMode: 'disable',
          rpsDatabase,
          mpsDatabase,
        },
        { user: 'root', password: '' },
        {
          rps: { user: `${probeUser}_r`, password: 'Rps-Probe-Pass-1x' },
          mps: { user: `${probeUser}_m`, password: 'Mps-Probe-Pass-1x' },
        },
      );
      await root.query(
        `CREATE USER IF NOT EXISTS '${probeUser}'@'%' IDENTIFIED BY '${probePassword}'`,
      );
      await root.query(
        `GRANT SELECT ON ${rpsDatabase}.* TO '${probeUser}'@'%'`,
      );
      await root.query(
        `GRANT SELECT ON ${mpsDatabase}.* TO '${probeUser}'@'%'`,
      );
    });
    afterAll(async () => {
      await root.query('SET GLOBAL read_only = 0').catch(() => undefined);
      for (const db of [rpsDatabase, mpsDatabase])
        await root.query(`DROP DATABASE IF EXISTS ${db}`);
      for (const user of [probeUser, `${probeUser}_r`, `${probeUser}_m`])
        await root.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await root.end();
    });

    it('read-only server → degraded (writable control first)', async () => {
      const d = await deploymentWith('maria-ro', {
        database: {
          provider: 'mariadb',
          endpoint: '127.0.0.1:3306',
          rpsDatabase,
          mpsDatabase,
        },
        databaseUser: probeUser,
        databasePassword: probePassword,
      });
      expect(
        (await classify('MariaDB writable (control)', d, 'database')).status,
      ).toBe('healthy');
      await root.query('SET GLOBAL read_only = 1');
      try {
        const r = await classify('MariaDB read-only', d, 'database');
        expect(r.status).toBe('degraded');
        expect(r.message).toMatch(/read.only/i);
      } finally {
        await root.query('SET GLOBAL read_only = 0');
      }
    });
  });
});
