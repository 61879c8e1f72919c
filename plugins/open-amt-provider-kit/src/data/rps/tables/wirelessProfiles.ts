import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, versionField, type EntitySpec } from '../entitySpec';
import { f, without } from './fields';

/** rps src/data/postgres/tables/wirelessProfiles.ts@v2.39.4 (same at v2.22.14). */
export function wirelessProfilesSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('profileName', 'wireless_profile_name');
  const data = [
    f('authenticationMethod', 'authentication_method', 'int'),
    f('encryptionMethod', 'encryption_method', 'int'),
    f('ssid', 'ssid'),
    f('pskValue', 'psk_value', 'int'),
    f('pskPassphrase', 'psk_passphrase'),
    f('linkPolicy', 'link_policy', 'array'),
  ];
  const ieee = f('ieee8021xProfileName', 'ieee8021x_profile_name');
  const fields = [key, ...data, tenantField, ieee, versionField];
  const inUse = (name: string) =>
    c.NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT('Wireless', name);
  return {
    table: 'wirelessconfigs',
    key,
    fields,
    // wirelessProfiles.ts:67: get() also returns count(*) OVER() as total_count
    listFields: [
      key,
      ...data,
      {
        prop: 'total_count',
        column: 'total_count',
        kind: 'count',
        expr: 'COUNT(*) OVER()',
      },
      tenantField,
      ieee,
      versionField,
    ],
    insert: without(fields, 'version'),
    update: [...data, ieee],
    versioned: true,
    creationDate: true,
    // :143-152: refused while a profile links it
    deleteGuard: {
      table: 'profiles_wirelessconfigs',
      column: 'wireless_profile_name',
      error: name => new RPSError(inUse(name), 'Foreign key violation'),
    },
    // :169-172
    deleteError: (e, name) =>
      e.kind === 'foreign-key'
        ? new RPSError(inUse(name))
        : new RPSError(
            c.API_UNEXPECTED_EXCEPTION(
              `Delete wireless configuration : ${name}`,
            ),
          ),
    // :210-216
    insertError: (e, name) =>
      e.kind === 'unique'
        ? new RPSError(
            c.NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE('Wireless', name),
            'Unique key violation',
          )
        : new RPSError(c.NETWORK_CONFIG_ERROR('Wireless', name)),
    // :256; the version check is :234
    updateError: (_e, name) =>
      new RPSError(c.NETWORK_CONFIG_ERROR('Wireless', name)),
  };
}
