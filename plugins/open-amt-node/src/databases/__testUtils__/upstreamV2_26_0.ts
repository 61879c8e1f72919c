/**
 * A database as the toolkit's own v2.26.0 scripts leave it, for the migration tests: no version table, the
 * constraint names PostgreSQL picks for unnamed keys, the extension created by hand. Written for this project
 * (not copied): it mirrors the tables, columns, types, nullability and keys of upstream's data/init.sql at
 * device-management-toolkit/rps tag v2.22.14 and data/initMPS.sql at device-management-toolkit/mps tag v2.13.21,
 * the versions toolkit v2.26.0 pins (open-amt-common releases/v2_26_0.ts), written independently of the release
 * module so a slip in either shows.
 */
const vc = (n: number) => `varchar(${n})`;
const tenant = `tenant_id ${vc(36)} NOT NULL`;

export const UPSTREAM_V2_26_0_RPS: readonly string[] = [
  'CREATE EXTENSION IF NOT EXISTS citext',
  `CREATE TABLE ciraconfigs (cira_config_name citext NOT NULL, mps_server_address ${vc(
    256,
  )}, mps_port integer,
    user_name ${vc(40)}, password ${vc(63)}, common_name ${vc(
    256,
  )}, server_address_format integer, auth_method integer,
    mps_root_certificate text, proxydetails text, ${tenant}, PRIMARY KEY (cira_config_name, tenant_id))`,
  `CREATE TABLE ieee8021xconfigs (profile_name citext, auth_protocol integer, servername ${vc(
    255,
  )},
    domain ${vc(255)}, username ${vc(255)}, password ${vc(
    255,
  )}, roaming_identity ${vc(255)}, active_in_s0 boolean,
    pxe_timeout integer, wired_interface boolean NOT NULL, ${tenant}, PRIMARY KEY (profile_name, tenant_id))`,
  `CREATE TABLE wirelessconfigs (wireless_profile_name citext NOT NULL, authentication_method integer,
    encryption_method integer, ssid ${vc(
      32,
    )}, psk_value integer, psk_passphrase ${vc(63)}, link_policy int[],
    creation_date timestamp, created_by ${vc(
      40,
    )}, ${tenant}, ieee8021x_profile_name citext,
    FOREIGN KEY (ieee8021x_profile_name, tenant_id) REFERENCES ieee8021xconfigs (profile_name, tenant_id),
    PRIMARY KEY (wireless_profile_name, tenant_id))`,
  `CREATE TABLE profiles (profile_name citext NOT NULL, activation ${vc(
    20,
  )} NOT NULL, amt_password ${vc(40)},
    generate_random_password boolean NOT NULL, cira_config_name citext, creation_date timestamp,
    created_by ${vc(40)}, mebx_password ${vc(
    40,
  )}, generate_random_mebx_password boolean NOT NULL, tags text[],
    dhcp_enabled boolean, ip_sync_enabled boolean, local_wifi_sync_enabled boolean, ${tenant}, tls_mode integer,
    user_consent ${vc(
      7,
    )}, ider_enabled boolean, kvm_enabled boolean, sol_enabled boolean,
    tls_signing_authority ${vc(40)}, ieee8021x_profile_name citext,
    FOREIGN KEY (cira_config_name, tenant_id) REFERENCES ciraconfigs (cira_config_name, tenant_id),
    FOREIGN KEY (ieee8021x_profile_name, tenant_id) REFERENCES ieee8021xconfigs (profile_name, tenant_id),
    PRIMARY KEY (profile_name, tenant_id))`,
  `CREATE TABLE profiles_wirelessconfigs (wireless_profile_name citext, profile_name citext, priority integer,
    creation_date timestamp, created_by ${vc(40)}, ${tenant},
    FOREIGN KEY (wireless_profile_name, tenant_id) REFERENCES wirelessconfigs (wireless_profile_name, tenant_id),
    FOREIGN KEY (profile_name, tenant_id) REFERENCES profiles (profile_name, tenant_id),
    PRIMARY KEY (wireless_profile_name, profile_name, priority, tenant_id))`,
  `CREATE TABLE domains (name citext NOT NULL, domain_suffix citext NOT NULL, provisioning_cert text,
    provisioning_cert_storage_format ${vc(
      40,
    )}, provisioning_cert_key text, creation_date timestamp,
    expiration_date timestamp, created_by ${vc(40)}, ${tenant},
    CONSTRAINT domainname UNIQUE (name, tenant_id), CONSTRAINT domainsuffix UNIQUE (domain_suffix, tenant_id),
    PRIMARY KEY (name, domain_suffix, tenant_id))`,
];

export const UPSTREAM_V2_26_0_MPS: readonly string[] = [
  `CREATE TABLE devices (guid uuid NOT NULL, tags text[], hostname ${vc(
    256,
  )}, mpsinstance text,
    connectionstatus boolean, mpsusername text, tenantid ${vc(
      36,
    )} NOT NULL, friendlyname ${vc(256)},
    dnssuffix ${vc(
      256,
    )}, lastconnected timestamptz, lastseen timestamptz, lastdisconnected timestamptz,
    deviceinfo json, CONSTRAINT device_guid UNIQUE (guid), PRIMARY KEY (guid, tenantid))`,
];
