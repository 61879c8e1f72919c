/**
 * Toolkit v2.37.0 (device-management-toolkit/deployment tag v2.37.0, branch v2, 2026-08). Facts read from the
 * upstream tag (data/init.sql, data/initMPS.sql, docker-compose.yml, kubernetes/charts, the services' rc files
 * and Dockerfiles), written in this project's own form. What changed since v2.26.0 is spelled out below.
 */
import { REQUIRED_GATEWAY_ROUTES } from '../gatewayRoutes';
import { TOOLKIT_V2_26_0 } from './v2_26_0';
import type {
  DatabaseSchema,
  SchemaMigration,
  Table,
  ToolkitRelease,
} from './types';

const previous = TOOLKIT_V2_26_0;
const nodeUser = { name: 'node', uid: 1000 };

/** RPS v2.39.4 reads profiles.uefi_wifi_sync_enabled. */
const profiles = previous.schema.rps.tables.find(t => t.name === 'profiles')!;
const profilesV2_37: Table = {
  ...profiles,
  columns: [
    ...profiles.columns,
    { name: 'uefi_wifi_sync_enabled', type: 'boolean' },
  ],
};

/** New in this release: proxy configurations and their assignment to profiles. */
const proxyconfigs: Table = {
  name: 'proxyconfigs',
  columns: [
    { name: 'proxy_config_name', type: 'citext' },
    { name: 'address', type: 'citext', notNull: true },
    { name: 'info_format', type: 'integer', notNull: true },
    { name: 'port', type: 'integer', notNull: true },
    { name: 'network_dns_suffix', type: { varchar: 192 } },
    { name: 'creation_date', type: 'timestamp' },
    // Upstream declares it without NOT NULL; the primary key makes it NOT NULL anyway.
    { name: 'tenant_id', type: { varchar: 36 } },
  ],
  primaryKey: ['proxy_config_name', 'tenant_id'],
  unique: [
    {
      name: 'address_port_tenant_id',
      columns: ['address', 'port', 'tenant_id'],
    },
  ],
};

const profilesProxyconfigs: Table = {
  name: 'profiles_proxyconfigs',
  columns: [
    { name: 'proxy_config_name', type: 'citext' },
    { name: 'profile_name', type: 'citext' },
    { name: 'priority', type: 'integer' },
    { name: 'creation_date', type: 'timestamp' },
    { name: 'created_by', type: { varchar: 40 } },
    { name: 'tenant_id', type: { varchar: 36 } },
  ],
  primaryKey: ['proxy_config_name', 'profile_name', 'priority', 'tenant_id'],
  foreignKeys: [
    {
      columns: ['proxy_config_name', 'tenant_id'],
      references: {
        table: 'proxyconfigs',
        columns: ['proxy_config_name', 'tenant_id'],
      },
    },
    {
      columns: ['profile_name', 'tenant_id'],
      references: { table: 'profiles', columns: ['profile_name', 'tenant_id'] },
    },
  ],
};

const rps: DatabaseSchema = {
  extensions: ['citext'],
  sequences: [],
  tables: [
    ...previous.schema.rps.tables.map(t =>
      t.name === 'profiles' ? profilesV2_37 : t,
    ),
    proxyconfigs,
    profilesProxyconfigs,
  ],
};

/**
 * v2.26.0 → v2.37.0, as upstream's "Upgrade to 2.28 from 2.18 or later" steps do it by hand (ADD COLUMN IF NOT
 * EXISTS, CREATE TABLE IF NOT EXISTS): the new profiles column, then the proxy tables, referenced one first.
 * mpsdb has nothing to change. The release check holds these steps equal to the difference of the two schemas.
 */
const migrationFromPrevious: SchemaMigration = {
  from: previous.id,
  rps: [
    {
      kind: 'addColumn',
      table: 'profiles',
      column: profilesV2_37.columns[profilesV2_37.columns.length - 1],
    },
    { kind: 'createTable', table: proxyconfigs },
    { kind: 'createTable', table: profilesProxyconfigs },
  ],
  mps: [],
};

/** initMPS.sql is unchanged since v2.26.0. */
const mps: DatabaseSchema = previous.schema.mps;

export const TOOLKIT_V2_37_0: ToolkitRelease = {
  id: 'v2.37.0',
  date: '2026-08',
  components: {
    mps: {
      version: '2.34.1',
      // Dockerfile:32,38,43@v2.34.1 (COPY to /mps/dist, USER node, CMD node /mps/dist/index.js); the factories import
      // ../data|secrets/<name>/index.js from dist/factories (src/factories/DbCreatorFactory.ts:13-14@v2.34.1).
      appDir: '/mps',
      image: 'intel/device-mgmt-toolkit-mps:v2.34.1',
      user: nodeUser,
      // Its CIRA root and server certificate (MPSCerts), when generate_certificates is on (the default): mps v2.34.1 src/utils/certificates.ts:35-42,106-111 and src/index.ts:60,227.
      createsOnFirstStart: ['MPSCerts'],
    },
    rps: {
      version: '2.39.4',
      // Dockerfile:33,39,44@v2.39.4 (COPY to /rps/dist, USER node, CMD node /rps/dist/Index.js); factories as MPS's
      // (src/factories/DbCreatorFactory.ts:13-14@v2.39.4).
      appDir: '/rps',
      image: 'intel/device-mgmt-toolkit-rps:v2.39.4',
      user: nodeUser,
    },
    mpsrouter: {
      version: '2.5.13',
      image: 'intel/device-mgmt-toolkit-mps-router:v2.5.13',
      user: { name: 'scratchuser', uid: 1000 },
    },
    // nginx's master process runs as root (the Dockerfile sets no USER).
    webui: {
      version: '3.61.1',
      image: 'intel/device-mgmt-toolkit-web-ui:v3.61.1',
      user: { name: 'root', uid: 0 },
    },
  },
  // Upstream compose pins postgres:18, hashicorp/vault:1.21 and kong:3.9; the project pins Kong's patch release.
  infrastructure: {
    postgres: 'postgres:18',
    vault: 'hashicorp/vault:1.21',
    kong: 'kong:3.9.1',
  },
  configKeys: {
    // mps v2.34.1 .mpsrc adds timeout_ms_default and cira_window_size (mps_cert_key_size is nested in mps_tls_config).
    mps: [
      ...previous.configKeys.mps,
      'MPS_TIMEOUT_MS_DEFAULT',
      'MPS_CIRA_WINDOW_SIZE',
    ],
    // rps v2.39.4 .rpsrc adds the PostgreSQL TLS files, the Enterprise Assistant and AMT TLS compatibility switches.
    rps: [
      ...previous.configKeys.rps,
      'RPS_POSTGRES_SSL_CA',
      'RPS_POSTGRES_SSL_CERT',
      'RPS_POSTGRES_SSL_KEY',
      'RPS_POSTGRES_SSL_REJECT_UNAUTHORIZED',
      'RPS_ENTERPRISE_ASSISTANT_URL',
      'RPS_AMT_LEGACY_TLS_COMPATIBILITY',
      'RPS_AMT_POST_TLS_REJECT',
      'RPS_AMT_TLS_TUNNEL_PERSISTENT',
    ],
    mpsrouter: previous.configKeys.mpsrouter,
    // init.sh of sample-web-ui v3.61.1 also substitutes the Console/OIDC settings.
    webui: [
      ...previous.configKeys.webui,
      'CONSOLE_SERVER_API',
      'CLIENTID',
      'ISSUER',
      'REDIRECTURI',
      'SCOPE',
      'REQUIRE_HTTPS',
    ],
  },
  schema: { rps, mps },
  migrationFromPrevious,
  // Upstream kong.yaml adds /device/power/{state,action}/<id> aliases of /mps (reachable through /mps already),
  // /vault and /mosquitto (not part of a production deployment: Vault and MQTT are not exposed publicly).
  gatewayRoutes: REQUIRED_GATEWAY_ROUTES,
  kubernetesNames: {
    adminJwtSecret: 'device-mgmt-toolkit-admin-jwt',
    adminAclSecret: 'device-mgmt-toolkit-admin-acl',
    adminAclGroup: 'device-mgmt-toolkit-admin',
    jwtPlugin: 'device-mgmt-toolkit-jwt',
    corsPlugin: 'device-mgmt-cors',
    serviceSecrets: previous.kubernetesNames.serviceSecrets,
  },
};
