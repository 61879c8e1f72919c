/*
 * Test-only: one Open AMT deployment made of contract servers (MPS, MPS's CIRA port, RPS, MPS Router, Web UI,
 * Kong admin, Vault) plus its catalog System. The probe credentials live in the Vault stand-in, reached through
 * open-amt.io/credentials-ref exactly as in production.
 */
import { Entity } from '@backstage/catalog-model';
import {
  deploymentEntityRef,
  endpointKey,
  LATEST_TOOLKIT_RELEASE,
  PROBE_BINDING_KEYS,
  probeEntryName,
} from '@open-amt-backstage/plugin-open-amt-common';
import { vaultAdapter } from '@open-amt-backstage/plugin-open-amt-node';
import {
  CiraContractServer,
  contractDevices,
  ContractServer,
  startCiraServer,
  startKongAdminServer,
  startMpsRouterServer,
  startMpsServer,
  startRpsServer,
  startVaultServer,
  startWebUiServer,
  VaultContractServer,
  MpsState,
  RpsState,
} from '@open-amt-backstage/plugin-open-amt-test-utils';

export interface ContractDeployment {
  name: string;
  entity: Entity;
  entityRef: string;
  mps: ContractServer<MpsState>;
  rps: ContractServer<RpsState>;
  mpsRouter: ContractServer<any>;
  webUi: ContractServer<any>;
  kong: ContractServer<any>;
  /** MPS's CIRA port, with a certificate for `mps.<name>.example.com`. */
  cira: CiraContractServer;
  vault: VaultContractServer;
  /** The probe password stored in Vault; tests check it never leaks. */
  databasePassword: string;
  close(): Promise<void>;
}

export interface ContractDeploymentOptions {
  name: string;
  latencyMs?: number;
  /** Overrides for the database annotations (default: the local PostgreSQL, databases that do not exist). */
  database?: {
    provider?: string;
    endpoint?: string;
    tlsMode?: string;
    rpsDatabase?: string;
    mpsDatabase?: string;
  };
  databaseUser?: string;
  databasePassword?: string;
  /** Share one Vault between deployments (the portal's own Vault). */
  vault?: VaultContractServer;
  extraAnnotations?: Record<string, string>;
  /** More keys for the probe credentials entry (e.g. vaultToken). */
  extraCredentials?: Record<string, string>;
  /** open-amt.io/toolkit-release; default the newest (what the stand-ins report), null for none (read as v2.26.0). */
  toolkitRelease?: string | null;
}

export async function startContractDeployment(
  options: ContractDeploymentOptions,
): Promise<ContractDeployment> {
  const latency = { latencyMs: options.latencyMs ?? 0 };
  const ownVault = !options.vault;
  const vault = options.vault ?? (await startVaultServer(latency));
  // Two devices, one connected; one ACM domain whose provisioning certificate has a year left.
  const mps = await startMpsServer({
    ...latency,
    state: { devices: contractDevices(2, 1) },
  });
  const commonName = `mps.${options.name}.example.com`;
  const [rps, mpsRouter, webUi, kong, cira] = await Promise.all([
    startRpsServer({
      ...latency,
      state: {
        domains: [
          {
            profileName: 'vpro',
            domainSuffix: `${options.name}.example.com`,
            expirationDate: new Date(Date.now() + 365 * 86_400_000),
            tenantId: '',
          },
        ],
      },
    }),
    startMpsRouterServer({ ...latency, mpsUrl: mps.url }),
    startWebUiServer(latency),
    startKongAdminServer(latency),
    startCiraServer({ hosts: [commonName] }),
  ]);
  const databasePassword =
    options.databasePassword ?? `Pr0be-${options.name}-${process.pid}-s3cret`;
  const db = options.database ?? {};
  const databaseEndpoint = db.endpoint ?? '127.0.0.1:5432';
  const [dbHost, dbPort] = [
    databaseEndpoint.slice(0, databaseEndpoint.lastIndexOf(':')),
    Number(databaseEndpoint.split(':').pop()),
  ];
  // Written where and as open-amt:secrets:provision writes it: `<prefix>/<deployment>-probe`, bound to the System.
  await vaultAdapter.write(
    {
      provider: 'vault',
      address: vault.url,
      mount: 'kv',
      pathPrefix: 'open-amt',
    },
    { kind: 'vault-token', token: vault.rootToken },
    {
      [probeEntryName(options.name)]: {
        databaseUser: options.databaseUser ?? 'postgres',
        databasePassword,
        [PROBE_BINDING_KEYS.entityRef]: deploymentEntityRef(options.name),
        [PROBE_BINDING_KEYS.databaseEndpoint]: endpointKey(dbHost, dbPort),
        [PROBE_BINDING_KEYS.databaseTlsMode]: db.tlsMode ?? 'disable',
        [PROBE_BINDING_KEYS.secretsEndpoint]:
          options.extraAnnotations?.['open-amt.io/secrets-endpoint'] ??
          vault.url,
        ...options.extraCredentials,
      },
    },
    { rotate: true },
  );
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: options.name,
      namespace: 'default',
      title: `Open AMT ${options.name}`,
      annotations: {
        'open-amt.io/deployment': options.name,
        // The stand-ins report the newest release's versions.
        ...(options.toolkitRelease === null
          ? {}
          : {
              'open-amt.io/toolkit-release':
                options.toolkitRelease ?? LATEST_TOOLKIT_RELEASE.id,
            }),
        'open-amt.io/target': 'compose',
        'open-amt.io/mps-url': mps.url,
        'open-amt.io/rps-url': rps.url,
        'open-amt.io/mpsrouter-url': mpsRouter.url,
        'open-amt.io/webui-url': webUi.url,
        'open-amt.io/database-provider': db.provider ?? 'postgresql',
        'open-amt.io/database-endpoint': databaseEndpoint,
        'open-amt.io/database-tls-mode': db.tlsMode ?? 'disable',
        'open-amt.io/rps-database':
          db.rpsDatabase ?? `oamt_missing_rps_${process.pid}`,
        'open-amt.io/mps-database':
          db.mpsDatabase ?? `oamt_missing_mps_${process.pid}`,
        'open-amt.io/secrets-provider': 'vault',
        'open-amt.io/secrets-endpoint': vault.url,
        'open-amt.io/gateway-provider': 'kong',
        'open-amt.io/gateway-url': kong.url,
        'open-amt.io/credentials-ref': `vault:kv/open-amt/${probeEntryName(
          options.name,
        )}`,
        'open-amt.io/mps-common-name': commonName,
        'open-amt.io/cira-endpoint': cira.address,
        ...options.extraAnnotations,
      },
    },
    spec: { owner: 'group:default/platform' },
    // As the catalog stitches it: the owner it confirms (notifications and signals go to it).
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
  };
  return {
    name: options.name,
    entity,
    entityRef: `system:default/${options.name}`,
    mps,
    rps,
    mpsRouter,
    webUi,
    kong,
    cira,
    vault,
    databasePassword,
    async close() {
      await Promise.all(
        [
          mps,
          rps,
          mpsRouter,
          webUi,
          kong,
          cira,
          ...(ownVault ? [vault] : []),
        ].map(s => s.close()),
      );
    },
  };
}
