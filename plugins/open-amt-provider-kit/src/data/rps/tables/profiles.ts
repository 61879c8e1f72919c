import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, versionField, type EntitySpec } from '../entitySpec';
import { f } from './fields';

/** rps src/data/postgres/tables/profiles.ts@v2.39.4; v2.22.14 lacks uefi_wifi_sync_enabled and the proxy links. */
export function profilesSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('profileName', 'profile_name');
  const activation = f('activation', 'activation');
  const cira = f('ciraConfigName', 'cira_config_name');
  const random = f(
    'generateRandomPassword',
    'generate_random_password',
    'bool',
  );
  const randomMebx = f(
    'generateRandomMEBxPassword',
    'generate_random_mebx_password',
    'bool',
  );
  const tags = f('tags', 'tags', 'array');
  const dhcp = f('dhcpEnabled', 'dhcp_enabled', 'bool');
  const tls = f('tlsMode', 'tls_mode', 'int');
  const consent = f('userConsent', 'user_consent');
  const ider = f('iderEnabled', 'ider_enabled', 'bool');
  const kvm = f('kvmEnabled', 'kvm_enabled', 'bool');
  const sol = f('solEnabled', 'sol_enabled', 'bool');
  const signing = f('tlsSigningAuthority', 'tls_signing_authority');
  const ieee = f('ieee8021xProfileName', 'ieee8021x_profile_name');
  const ipSync = f('ipSyncEnabled', 'ip_sync_enabled', 'bool');
  const localSync = f(
    'localWifiSyncEnabled',
    'local_wifi_sync_enabled',
    'bool',
  );
  const uefiSync = f(
    'uefiWifiSyncEnabled',
    'uefi_wifi_sync_enabled',
    'bool',
    true,
  );
  const amtPassword = f('amtPassword', 'amt_password');
  const mebxPassword = f('mebxPassword', 'mebx_password');
  const settings = [
    activation,
    amtPassword,
    random,
    cira,
    mebxPassword,
    randomMebx,
    tags,
    dhcp,
    tls,
    consent,
    ider,
    kvm,
    sol,
    signing,
    ieee,
    ipSync,
    localSync,
    uefiSync,
  ];
  return {
    table: 'profiles',
    key,
    // the select list (passwords are never read back); wifiConfigs / proxyConfigs are added by ProfilesTable
    fields: [
      key,
      activation,
      cira,
      random,
      randomMebx,
      tags,
      dhcp,
      tls,
      consent,
      ider,
      kvm,
      sol,
      tenantField,
      signing,
      versionField,
      ieee,
      ipSync,
      localSync,
      uefiSync,
    ],
    insert: [key, ...settings, tenantField],
    update: settings,
    versioned: true,
    insertError: (e, name) => {
      if (e.kind === 'unique')
        return new RPSError(
          c.PROFILE_INSERTION_FAILED_DUPLICATE(name),
          'Unique key violation',
        );
      return new RPSError(c.API_UNEXPECTED_EXCEPTION(name));
    },
    updateError: (_e, name) => new RPSError(c.API_UNEXPECTED_EXCEPTION(name)),
  };
}
