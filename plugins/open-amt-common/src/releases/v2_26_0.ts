/**
 * Toolkit v2.26.0 (device-management-toolkit/deployment tag v2.26.0, 2024-11): the release the project was first
 * built against; deployments whose catalog entity has no open-amt.io/toolkit-release annotation run it.
 * Facts read from the upstream tag (data/init.sql, data/initMPS.sql, docker-compose.yml, the services' rc files
 * and Dockerfiles), written in this project's own form.
 */
import { REQUIRED_GATEWAY_ROUTES } from '../gatewayRoutes';
import type { Column, DatabaseSchema, ToolkitRelease } from './types';

const tenantId: Column = {
  name: 'tenant_id',
  type: { varchar: 36 },
  notNull: true,
};
const nodeUser = { name: 'node', uid: 1000 };

/** rpsdb of v2.26.0, in creation order (referenced tables first). */
const rps: DatabaseSchema = {
  extensions: ['citext'],
  sequences: [],
  tables: [
    {
      name: 'ciraconfigs',
      columns: [
        { name: 'cira_config_name', type: 'citext', notNull: true },
        { name: 'mps_server_address', type: { varchar: 256 } },
        { name: 'mps_port', type: 'integer' },
        { name: 'user_name', type: { varchar: 40 } },
        { name: 'password', type: { varchar: 63 } },
        { name: 'common_name', type: { varchar: 256 } },
        { name: 'server_address_format', type: 'integer' },
        { name: 'auth_method', type: 'integer' },
        { name: 'mps_root_certificate', type: 'text' },
        { name: 'proxydetails', type: 'text' },
        tenantId,
      ],
      primaryKey: ['cira_config_name', 'tenant_id'],
    },
    {
      name: 'ieee8021xconfigs',
      columns: [
        { name: 'profile_name', type: 'citext' },
        { name: 'auth_protocol', type: 'integer' },
        { name: 'servername', type: { varchar: 255 } },
        { name: 'domain', type: { varchar: 255 } },
        { name: 'username', type: { varchar: 255 } },
        { name: 'password', type: { varchar: 255 } },
        { name: 'roaming_identity', type: { varchar: 255 } },
        { name: 'active_in_s0', type: 'boolean' },
        { name: 'pxe_timeout', type: 'integer' },
        { name: 'wired_interface', type: 'boolean', notNull: true },
        tenantId,
      ],
      primaryKey: ['profile_name', 'tenant_id'],
    },
    {
      name: 'wirelessconfigs',
      columns: [
        { name: 'wireless_profile_name', type: 'citext', notNull: true },
        { name: 'authentication_method', type: 'integer' },
        { name: 'encryption_method', type: 'integer' },
        { name: 'ssid', type: { varchar: 32 } },
        { name: 'psk_value', type: 'integer' },
        { name: 'psk_passphrase', type: { varchar: 63 } },
        { name: 'link_policy', type: 'int[]' },
        { name: 'creation_date', type: 'timestamp' },
        { name: 'created_by', type: { varchar: 40 } },
        tenantId,
        { name: 'ieee8021x_profile_name', type: 'citext' },
      ],
      primaryKey: ['wireless_profile_name', 'tenant_id'],
      foreignKeys: [
        {
          columns: ['ieee8021x_profile_name', 'tenant_id'],
          references: {
            table: 'ieee8021xconfigs',
            columns: ['profile_name', 'tenant_id'],
          },
        },
      ],
    },
    {
      name: 'profiles',
      columns: [
        { name: 'profile_name', type: 'citext', notNull: true },
        { name: 'activation', type: { varchar: 20 }, notNull: true },
        { name: 'amt_password', type: { varchar: 40 } },
        { name: 'generate_random_password', type: 'boolean', notNull: true },
        { name: 'cira_config_name', type: 'citext' },
        { name: 'creation_date', type: 'timestamp' },
        { name: 'created_by', type: { varchar: 40 } },
        { name: 'mebx_password', type: { varchar: 40 } },
        {
          name: 'generate_random_mebx_password',
          type: 'boolean',
          notNull: true,
        },
        { name: 'tags', type: 'text[]' },
        { name: 'dhcp_enabled', type: 'boolean' },
        { name: 'ip_sync_enabled', type: 'boolean' },
        { name: 'local_wifi_sync_enabled', type: 'boolean' },
        tenantId,
        { name: 'tls_mode', type: 'integer' },
        { name: 'user_consent', type: { varchar: 7 } },
        { name: 'ider_enabled', type: 'boolean' },
        { name: 'kvm_enabled', type: 'boolean' },
        { name: 'sol_enabled', type: 'boolean' },
        { name: 'tls_signing_authority', type: { varchar: 40 } },
        { name: 'ieee8021x_profile_name', type: 'citext' },
      ],
      primaryKey: ['profile_name', 'tenant_id'],
      foreignKeys: [
        {
          columns: ['cira_config_name', 'tenant_id'],
          references: {
            table: 'ciraconfigs',
            columns: ['cira_config_name', 'tenant_id'],
          },
        },
        {
          columns: ['ieee8021x_profile_name', 'tenant_id'],
          references: {
            table: 'ieee8021xconfigs',
            columns: ['profile_name', 'tenant_id'],
          },
        },
      ],
    },
    {
      name: 'profiles_wirelessconfigs',
      columns: [
        { name: 'wireless_profile_name', type: 'citext' },
        { name: 'profile_name', type: 'citext' },
        { name: 'priority', type: 'integer' },
        { name: 'creation_date', type: 'timestamp' },
        { name: 'created_by', type: { varchar: 40 } },
        tenantId,
      ],
      primaryKey: [
        'wireless_profile_name',
        'profile_name',
        'priority',
        'tenant_id',
      ],
      foreignKeys: [
        {
          columns: ['wireless_profile_name', 'tenant_id'],
          references: {
            table: 'wirelessconfigs',
            columns: ['wireless_profile_name', 'tenant_id'],
          },
        },
        {
          columns: ['profile_name', 'tenant_id'],
          references: {
            table: 'profiles',
            columns: ['profile_name', 'tenant_id'],
          },
        },
      ],
    },
    {
      name: 'domains',
      columns: [
        { name: 'name', type: 'citext', notNull: true },
        { name: 'domain_suffix', type: 'citext', notNull: true },
        { name: 'provisioning_cert', type: 'text' },
        { name: 'provisioning_cert_storage_format', type: { varchar: 40 } },
        { name: 'provisioning_cert_key', type: 'text' },
        { name: 'creation_date', type: 'timestamp' },
        { name: 'expiration_date', type: 'timestamp' },
        { name: 'created_by', type: { varchar: 40 } },
        tenantId,
      ],
      primaryKey: ['name', 'domain_suffix', 'tenant_id'],
      unique: [
        { name: 'domainname', columns: ['name', 'tenant_id'] },
        { name: 'domainsuffix', columns: ['domain_suffix', 'tenant_id'] },
      ],
    },
  ],
};

/** mpsdb of v2.26.0 (initMPS.sql). */
const mps: DatabaseSchema = {
  extensions: [],
  sequences: [],
  tables: [
    {
      name: 'devices',
      columns: [
        { name: 'guid', type: 'uuid', notNull: true },
        { name: 'tags', type: 'text[]' },
        { name: 'hostname', type: { varchar: 256 } },
        { name: 'mpsinstance', type: 'text' },
        { name: 'connectionstatus', type: 'boolean' },
        { name: 'mpsusername', type: 'text' },
        { name: 'tenantid', type: { varchar: 36 }, notNull: true },
        { name: 'friendlyname', type: { varchar: 256 } },
        { name: 'dnssuffix', type: { varchar: 256 } },
        { name: 'lastconnected', type: 'timestamptz' },
        { name: 'lastseen', type: 'timestamptz' },
        { name: 'lastdisconnected', type: 'timestamptz' },
        { name: 'deviceinfo', type: 'json' },
      ],
      primaryKey: ['guid', 'tenantid'],
      unique: [{ name: 'device_guid', columns: ['guid'] }],
    },
  ],
};

/** Top-level keys of mps v2.13.21's .mpsrc (read as MPS_<KEY>), plus MPS_LOG_LEVEL (logger) and MPSWEBPORT (health check). */
const MPS_KEYS = [
  'MPS_COMMON_NAME',
  'MPS_PORT',
  'MPS_COUNTRY',
  'MPS_COMPANY',
  'MPS_LISTEN_ANY',
  'MPS_TLS_OFFLOAD',
  'MPS_WEB_PORT',
  'MPS_GENERATE_CERTIFICATES',
  'MPS_WEB_ADMIN_USER',
  'MPS_WEB_ADMIN_PASSWORD',
  'MPS_WEB_AUTH_ENABLED',
  'MPS_VAULT_ADDRESS',
  'MPS_VAULT_TOKEN',
  'MPS_MQTT_ADDRESS',
  'MPS_SECRETS_PATH',
  'MPS_SECRETS_PROVIDER',
  'MPS_CERT_FORMAT',
  'MPS_DATA_PATH',
  'MPS_CERT_PATH',
  'MPS_JWT_SECRET',
  'MPS_JWT_ISSUER',
  'MPS_JWT_EXPIRATION',
  'MPS_CORS_ORIGIN',
  'MPS_CORS_HEADERS',
  'MPS_CORS_METHODS',
  'MPS_DB_PROVIDER',
  'MPS_CONNECTION_STRING',
  'MPS_INSTANCE_NAME',
  'MPS_MPS_TLS_CONFIG',
  'MPS_WEB_TLS_CONFIG',
  'MPS_REDIRECTION_EXPIRATION_TIME',
  'MPS_CONSUL_ENABLED',
  'MPS_CONSUL_HOST',
  'MPS_CONSUL_PORT',
  'MPS_CONSUL_KEY_PREFIX',
  'MPS_CIRA_LAST_SEEN',
  'MPS_LOG_LEVEL',
  'MPSWEBPORT',
] as const;

/** Top-level keys of rps v2.22.14's .rpsrc (read as RPS_<KEY>), plus RPS_LOG_LEVEL and RPSWEBPORT. */
const RPS_KEYS = [
  'RPS_WEB_PORT',
  'RPS_SECRETS_PATH',
  'RPS_VAULT_ADDRESS',
  'RPS_VAULT_TOKEN',
  'RPS_WEBSOCKETPORT',
  'RPS_DB_PROVIDER',
  'RPS_SECRETS_PROVIDER',
  'RPS_CONNECTION_STRING',
  'RPS_CORS_ORIGIN',
  'RPS_CORS_HEADERS',
  'RPS_CORS_METHODS',
  'RPS_MPS_SERVER',
  'RPS_DELAY_TIMER',
  'RPS_MQTT_ADDRESS',
  'RPS_DISABLE_CIRA_DOMAIN_NAME',
  'RPS_CONSUL_ENABLED',
  'RPS_CONSUL_HOST',
  'RPS_CONSUL_PORT',
  'RPS_CONSUL_KEY_PREFIX',
  'RPS_LOG_LEVEL',
  'RPSWEBPORT',
] as const;

/** mps-router reads plain environment (cmd/main.go, internal/db). */
const MPSROUTER_KEYS = [
  'MPS_CONNECTION_STRING',
  'PORT',
  'MPS_PORT',
  'MPS_HOST',
  'MPS_DATABASE_NAME',
  'MPS_COLLECTION_NAME',
  'MPS_DB_MAX_OPEN_CONNS',
] as const;

/** The web UI's init.sh substitutes these into the served bundle. */
const WEBUI_KEYS = [
  'MPS_SERVER',
  'RPS_SERVER',
  'VAULT_SERVER',
  'AUTH_MODE_ENABLED',
] as const;

export const TOOLKIT_V2_26_0: ToolkitRelease = {
  id: 'v2.26.0',
  date: '2024-11',
  components: {
    mps: {
      version: '2.13.21',
      // Dockerfile:32,38,43@v2.13.21 (COPY to /mps/dist, USER node, CMD node /mps/dist/index.js); the factories import
      // ../data|secrets/<name>/index.js from dist/factories (src/factories/DbCreatorFactory.ts:13-14@v2.13.21).
      appDir: '/mps',
      image: 'intel/oact-mps:v2.13.21',
      user: nodeUser,
      // Its CIRA root and server certificate (MPSCerts), when generate_certificates is on (the default): mps v2.13.21 src/utils/certificates.ts:34-41,101-106 and src/index.ts:53,188.
      createsOnFirstStart: ['MPSCerts'],
    },
    rps: {
      version: '2.22.14',
      // Dockerfile:33,39,44@v2.22.14 (COPY to /rps/dist, USER node, CMD node /rps/dist/Index.js); factories as MPS's
      // (src/factories/DbCreatorFactory.ts:13-14@v2.22.14).
      appDir: '/rps',
      image: 'intel/oact-rps:v2.22.14',
      user: nodeUser,
    },
    mpsrouter: {
      version: '2.3.12',
      image: 'intel/oact-mpsrouter:v2.3.12',
      user: { name: 'scratchuser', uid: 1000 },
    },
    webui: {
      version: '3.27.4',
      image: 'intel/oact-webui:v3.27.4',
      user: { name: 'root', uid: 0 },
    },
  },
  // Upstream compose: postgres:15, vault untagged (1.18 was current), kong:3.1 (end of life; the project has
  // always rendered the 3.9 LTS line instead, and keeps doing so for this release).
  infrastructure: {
    postgres: 'postgres:15',
    vault: 'hashicorp/vault:1.18',
    kong: 'kong:3.9.1',
  },
  configKeys: {
    mps: MPS_KEYS,
    rps: RPS_KEYS,
    mpsrouter: MPSROUTER_KEYS,
    webui: WEBUI_KEYS,
  },
  schema: { rps, mps },
  gatewayRoutes: REQUIRED_GATEWAY_ROUTES,
  kubernetesNames: {
    adminJwtSecret: 'open-amt-admin-jwt',
    adminAclSecret: 'open-amt-admin-acl',
    adminAclGroup: 'open-amt-admin',
    jwtPlugin: 'open-amt-jwt',
    corsPlugin: 'open-amt-cors',
    serviceSecrets: {
      mps: 'mps',
      rps: 'rps',
      mpsrouter: 'mpsrouter',
      mpsweb: 'mpsweb',
    },
  },
};
