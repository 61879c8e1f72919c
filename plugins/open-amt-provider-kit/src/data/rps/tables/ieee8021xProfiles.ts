import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, versionField, type EntitySpec } from '../entitySpec';
import { f } from './fields';

/**
 * rps src/data/postgres/tables/ieee8021xProfiles.ts@v2.39.4 (same at v2.22.14). Reads and inserts five columns;
 * the UPDATE also writes the server, domain, credentials, roaming identity and activeInS0 (:176-193).
 */
export function ieee8021xProfilesSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('profileName', 'profile_name');
  const auth = f('authenticationProtocol', 'auth_protocol', 'int');
  const pxe = f('pxeTimeout', 'pxe_timeout', 'int');
  const wired = f('wiredInterface', 'wired_interface', 'bool');
  return {
    table: 'ieee8021xconfigs',
    key,
    fields: [key, auth, pxe, wired, tenantField, versionField],
    insert: [key, auth, pxe, wired, tenantField],
    update: [
      auth,
      f('serverName', 'servername'),
      f('domain', 'domain'),
      f('username', 'username'),
      f('password', 'password'),
      f('roamingIdentity', 'roaming_identity'),
      f('activeInS0', 'active_in_s0', 'bool'),
      pxe,
      wired,
    ],
    versioned: true,
    // :132-139: which table still uses the config decides the message
    deleteError: (e, name) => {
      if (e.kind === 'foreign-key' && e.referencing === 'profiles')
        return new RPSError(
          c.IEEE8021X_DELETION_FAILED_CONSTRAINT_AMT_PROFILE(name),
        );
      if (e.kind === 'foreign-key' && e.referencing === 'wirelessconfigs')
        return new RPSError(
          c.IEEE8021X_DELETION_FAILED_CONSTRAINT_WIRELESS(name),
        );
      return new RPSError(
        c.API_UNEXPECTED_EXCEPTION(`Delete 802.1x configuration : ${name}`),
      );
    },
    // :169-172
    insertError: (e, name) =>
      e.kind === 'unique'
        ? new RPSError(
            c.IEEE8021X_INSERTION_FAILED_DUPLICATE(name),
            'Unique key violation',
          )
        : new RPSError(c.IEEE8021X_INSERTION_FAILED(name)),
    // :219
    updateError: (_e, name) => new RPSError(c.API_UNEXPECTED_EXCEPTION(name)),
  };
}
