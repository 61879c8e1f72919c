/**
 * The demo "stand-in stack": one example Open AMT deployment's endpoints served on fixed loopback ports
 * by the contract servers of plugins/open-amt-node (the same vendor stand-ins the tests use), so the
 * portal shows live health without any cloud. MPS (REST and CIRA port), RPS, MPS Router, Web UI, Vault and
 * the Kong admin API are simulated; the database is the real local PostgreSQL.
 */
import { toError } from '@backstage/errors';
import {
  deploymentEntityRef,
  endpointKey,
  PROBE_BINDING_KEYS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { vaultAdapter } from '@open-amt-backstage/plugin-open-amt-node';
import {
  CiraContractServer,
  contractDevices,
  ContractDomain,
  ContractServer,
  startCiraServer,
  startKongAdminServer,
  startMpsRouterServer,
  startMpsServer,
  startRpsServer,
  startVaultServer,
  startWebUiServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  DemoDatabaseOptions,
  DemoDatabaseResult,
  initDemoDatabases,
} from './demoDatabases';
import { FixedPortForwarder } from './fixedPortForwarder';
import {
  DEMO_COMPONENTS,
  DEMO_DEPLOYMENT,
  DEMO_HOST,
  DEMO_PORTS,
  DEMO_VAULT_TOKEN,
  DemoComponent,
} from './ports';

export interface DemoLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface StandInStackStatus {
  components: Record<DemoComponent, { url: string; running: boolean }>;
  vault: { sealed: boolean };
  database: { ok: boolean; message: string };
  /** What MPS counts (GET /api/v1/devices/stats) and the ACM domains RPS lists, with their certificates' expiry. */
  devices: DemoDevices;
  domains: { profileName: string; expirationDate: string }[];
}

export interface DemoDevices {
  total: number;
  connected: number;
}

/**
 * The demo's devices at start and after a reset: most of them connected, enough for the device-drop alert (whose
 * default minimum level is 5) to be shown by disconnecting some.
 */
export const DEMO_DEVICES: DemoDevices = { total: 40, connected: 38 };
/** Days the demo ACM domain's provisioning certificate has left at start: well beyond the 30-day warning. */
export const DEMO_PROVISIONING_CERT_DAYS = 200;

export interface StandInStack {
  status(): StandInStackStatus;
  seal(): void;
  unseal(): void;
  /** Refuses connections on the component's port (the process "died"). */
  stop(component: DemoComponent): Promise<void>;
  start(component: DemoComponent): Promise<void>;
  /** Sets how many devices MPS knows and how many are connected (the devices row follows at the next probe). */
  setDevices(devices: DemoDevices): DemoDevices;
  /** Sets when the demo ACM domain's provisioning certificate expires, in days from now (negative: expired). */
  setProvisioningCertificate(daysLeft: number): void;
  /** Everything running and unsealed again, the devices and the domain's certificate as at start. */
  reset(): Promise<void>;
  /** The stand-in Vault (its state, e.g. the KV entries the scaffolder wrote). */
  vault: VaultContractServer;
  /** Where each stand-in answers (the fixed ports unless options.ports says otherwise); `host:port` for cira. */
  urls: Record<DemoComponent, string>;
  close(): Promise<void>;
}

export interface StandInStackOptions {
  logger: DemoLogger;
  database?: DemoDatabaseOptions;
  host?: string;
  /** Override the fixed ports (tests use 0: any free port). */
  ports?: Partial<Record<DemoComponent, number>>;
}

/** Vault's sys/health body as MPS/RPS embed it in their own health report (secretStore.status). */
function vaultHealthAsSeenByServices(
  vault: VaultContractServer,
  forwarder: FixedPortForwarder,
) {
  if (!forwarder.running) return `connect ECONNREFUSED ${forwarder.address}`;
  const s = vault.state;
  return {
    initialized: s.initialized,
    sealed: s.sealed || !s.initialized,
    standby: s.standby,
    performance_standby: s.performanceStandby,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(Date.now() / 1000),
    version: s.version,
    cluster_name: s.clusterName,
    cluster_id: s.clusterId,
  };
}

/** Writes the probe credentials the health engine resolves through open-amt.io/credentials-ref. */
async function storeProbeCredentials(
  vaultUrl: string,
  db: DemoDatabaseResult | undefined,
) {
  const user = db?.probe.user ?? DEMO_DEPLOYMENT.probeUser;
  const password = db?.probe.password ?? 'database-not-initialised';
  await vaultAdapter.write(
    {
      provider: 'vault',
      address: vaultUrl,
      mount: DEMO_DEPLOYMENT.vaultMount,
      pathPrefix: DEMO_DEPLOYMENT.vaultPrefix,
    },
    { kind: 'vault-token', token: DEMO_VAULT_TOKEN },
    {
      [`${DEMO_DEPLOYMENT.name}-probe`]: {
        // Keys the health engine reads, and the ones open-amt:secrets:provision writes, so both agree.
        databaseUser: user,
        databasePassword: password,
        dbUser: user,
        dbPassword: password,
        // Bound like open-amt:secrets:provision binds them: to the example System and its annotated endpoints.
        [PROBE_BINDING_KEYS.entityRef]: deploymentEntityRef(
          DEMO_DEPLOYMENT.name,
        ),
        [PROBE_BINDING_KEYS.databaseEndpoint]: endpointKey('127.0.0.1', 5432),
        [PROBE_BINDING_KEYS.databaseTlsMode]: 'disable',
        [PROBE_BINDING_KEYS.secretsEndpoint]: vaultUrl,
      },
    },
    { rotate: true },
  );
}

export async function startStandInStack(
  options: StandInStackOptions,
): Promise<StandInStack> {
  const { logger } = options;
  const host = options.host ?? DEMO_HOST;
  const ports = { ...DEMO_PORTS, ...options.ports };
  const servers: Array<ContractServer<any> | CiraContractServer> = [];
  const forwarders = new Map<DemoComponent, FixedPortForwarder>();
  const closeAll = async () => {
    await Promise.all([...forwarders.values()].map(f => f.stop()));
    await Promise.all(servers.map(s => s.close()));
  };
  /** Puts a contract server behind its fixed port; returns that port's URL. */
  const expose = async <S extends ContractServer<any> | CiraContractServer>(
    component: DemoComponent,
    server: S,
  ): Promise<S> => {
    servers.push(server);
    const upstreamPort =
      'address' in server ? server.port : Number(new URL(server.url).port);
    const forwarder = new FixedPortForwarder(
      host,
      ports[component],
      upstreamPort,
    );
    forwarders.set(component, forwarder);
    await forwarder.start().catch(error => {
      throw new Error(
        `Port ${ports[component]} (${component}) is taken: ${
          toError(error).message
        }`,
      );
    });
    return server;
  };
  const urlOf = (component: DemoComponent) =>
    component === 'cira'
      ? `${host}:${forwarders.get(component)!.port}`
      : `http://${host}:${forwarders.get(component)!.port}`;

  try {
    const vault = await expose(
      'vault',
      await startVaultServer({
        rootToken: DEMO_VAULT_TOKEN,
        kvMount: DEMO_DEPLOYMENT.vaultMount,
        state: { clusterName: 'open-amt-demo-stand-in' },
      }),
    );
    const mps = await expose('mps', await startMpsServer());
    // The router forwards to MPS's fixed address, so stopping MPS shows through the router as it would.
    await expose(
      'mpsrouter',
      await startMpsRouterServer({ mpsUrl: urlOf('mps') }),
    );
    const rps = await expose('rps', await startRpsServer());
    const demoDomain = (
      daysLeft = DEMO_PROVISIONING_CERT_DAYS,
    ): ContractDomain => ({
      profileName: DEMO_DEPLOYMENT.name,
      domainSuffix: 'demo.example.com',
      // Half a day past the whole days, so the row reads `daysLeft` days left until the next half day passes.
      expirationDate: new Date(Date.now() + (daysLeft + 0.5) * 86_400_000),
      tenantId: '',
    });
    const setDevices = ({ total, connected }: DemoDevices) => {
      mps.state.devices = contractDevices(total, connected);
      return { total, connected };
    };
    setDevices(DEMO_DEVICES);
    rps.state.domains = [demoDomain()];
    await expose('webui', await startWebUiServer());
    await expose('gateway', await startKongAdminServer());
    // The scaffolder points deployments made against the stack here too (the e2e scenario does): each gets a
    // certificate for its own MPS name, as its own MPS would present.
    await expose(
      'cira',
      await startCiraServer({
        hosts: [DEMO_DEPLOYMENT.mpsCommonName],
        coverRequestedNames: true,
      }),
    );

    // MPS and RPS report their secret store from Vault's live state, as the real services do.
    const vaultForwarder = forwarders.get('vault')!;
    for (const service of [mps, rps]) {
      Object.defineProperty(service.state, 'secretStoreStatus', {
        enumerable: true,
        get: () => vaultHealthAsSeenByServices(vault, vaultForwarder),
      });
    }

    let database: StandInStackStatus['database'];
    let db: DemoDatabaseResult | undefined;
    try {
      db = await initDemoDatabases(options.database);
      database = {
        ok: true,
        message: `${db.target.rpsDatabase} and ${db.target.mpsDatabase} on ${db.target.host}:${db.target.port}`,
      };
      logger.info(
        `Demo databases ready: ${database.message}${
          db.changes.length ? ` (${db.changes.length} change(s))` : ''
        }`,
      );
    } catch (error) {
      database = { ok: false, message: toError(error).message };
      logger.warn(
        `Demo databases not initialised (the database row will show why): ${database.message}`,
      );
    }
    await storeProbeCredentials(urlOf('vault'), db);

    return {
      vault,
      urls: Object.fromEntries(
        DEMO_COMPONENTS.map(c => [c, urlOf(c)]),
      ) as Record<DemoComponent, string>,
      status() {
        const components = Object.fromEntries(
          DEMO_COMPONENTS.map(c => [
            c,
            { url: urlOf(c), running: forwarders.get(c)!.running },
          ]),
        ) as StandInStackStatus['components'];
        const devices = mps.state.devices;
        return {
          components,
          vault: { sealed: vault.state.sealed },
          database,
          devices: {
            total: devices.length,
            connected: devices.filter(d => d.connected).length,
          },
          domains: rps.state.domains.map(d => ({
            profileName: d.profileName,
            expirationDate: d.expirationDate.toISOString(),
          })),
        };
      },
      setDevices(devices) {
        const set = setDevices(devices);
        logger.info(
          `Stand-in MPS: ${set.connected} of ${set.total} devices connected`,
        );
        return set;
      },
      setProvisioningCertificate(daysLeft) {
        rps.state.domains = [demoDomain(daysLeft)];
        logger.info(
          `Stand-in RPS: the demo domain's provisioning certificate ${
            daysLeft < 0
              ? `expired ${-daysLeft} day(s) ago`
              : `expires in ${daysLeft} day(s)`
          }`,
        );
      },
      seal() {
        vault.state.sealed = true;
        logger.info('Stand-in Vault sealed');
      },
      unseal() {
        vault.state.sealed = false;
        logger.info('Stand-in Vault unsealed');
      },
      async stop(component) {
        await forwarders.get(component)!.stop();
        logger.info(`Stand-in ${component} stopped`);
      },
      async start(component) {
        await forwarders.get(component)!.start();
        logger.info(`Stand-in ${component} started`);
      },
      async reset() {
        vault.state.sealed = false;
        setDevices(DEMO_DEVICES);
        rps.state.domains = [demoDomain()];
        for (const forwarder of forwarders.values()) await forwarder.start();
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
