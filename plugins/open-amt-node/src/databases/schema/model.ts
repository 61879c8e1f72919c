/**
 * The Open AMT database schema as one engine-neutral model, so the PostgreSQL, MariaDB and MSSQL scripts
 * (and the probe's list of expected tables) cannot drift apart.
 *
 * Source: the toolkit's own scripts — rps `data/init.sql` and mps `data/initMPS.sql`
 * (github.com/device-management-toolkit/rps and /mps, formerly open-amt-cloud-toolkit). Columns, nullability,
 * keys and constraint names are copied as they are there. Deliberately left out, because the pinned releases
 * (rps v2.22.14, mps v2.13.21) do not read them: rps `proxyconfigs` / `profiles_proxyconfigs` and mps
 * `powerstate` / `ospowersavingstate` / `powerstateupdatedat`, which later releases added.
 */

/** Column types as PostgreSQL names them in the toolkit scripts; the other engines translate them. */
export type ColumnType =
  | 'citext'
  | { varchar: number }
  | 'text'
  | 'integer'
  | 'boolean'
  | 'timestamp'
  | 'timestamptz'
  | 'json'
  | 'uuid'
  | 'text[]'
  | 'int[]';

export interface Column {
  name: string;
  type: ColumnType;
  notNull?: boolean;
}

export interface ForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  unique?: { name: string; columns: string[] }[];
  foreignKeys?: ForeignKey[];
}

const tenantId: Column = {
  name: 'tenant_id',
  type: { varchar: 36 },
  notNull: true,
};

/** rpsdb, in creation order (referenced tables first). */
export const RPS_TABLES: readonly Table[] = [
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
      { name: 'generate_random_mebx_password', type: 'boolean', notNull: true },
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
];

/** mpsdb. */
export const MPS_TABLES: readonly Table[] = [
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
];

export const RPS_TABLE_NAMES: readonly string[] = RPS_TABLES.map(t => t.name);
export const MPS_TABLE_NAMES: readonly string[] = MPS_TABLES.map(t => t.name);

/** The tables each side's service needs; what the probe compares with. */
export function missingTables(
  expected: readonly string[],
  present: Iterable<string>,
): string[] {
  const have = new Set([...present].map(name => name.toLowerCase()));
  return expected.filter(name => !have.has(name));
}
