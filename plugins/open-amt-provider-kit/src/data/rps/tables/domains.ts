import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, versionField, type EntitySpec } from '../entitySpec';
import { f, without } from './fields';

/** rps src/data/postgres/tables/domains.ts@v2.39.4 (same at v2.22.14). DELETE has no try: errors go up as is. */
export function domainsSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('profileName', 'name');
  const data = [
    f('domainSuffix', 'domain_suffix'),
    f('provisioningCert', 'provisioning_cert'),
    f('provisioningCertStorageFormat', 'provisioning_cert_storage_format'),
    f('provisioningCertPassword', 'provisioning_cert_key'),
    f('expirationDate', 'expiration_date', 'date'),
  ];
  const fields = [key, ...data, tenantField, versionField];
  // domains.ts:196-199 (insert) and :236-239 (update): a duplicate name or suffix (unique domainname / domainsuffix)
  const duplicateOr =
    (fallback: (name: string) => Error) =>
    (e: { kind: string }, name: string) =>
      e.kind === 'unique'
        ? new RPSError(c.DUPLICATE_DOMAIN_FAILED(name), 'Unique key violation')
        : fallback(name);
  const unexpected = (name: string) =>
    new RPSError(c.API_UNEXPECTED_EXCEPTION(name));
  return {
    table: 'domains',
    key,
    fields,
    insert: without(fields, 'version'),
    update: data,
    versioned: true,
    insertError: duplicateOr(unexpected),
    updateError: duplicateOr(unexpected),
  };
}
