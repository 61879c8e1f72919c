import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, versionField, type EntitySpec } from '../entitySpec';
import { f, without } from './fields';

/** rps src/data/postgres/tables/ciraConfigs.ts@v2.39.4 (same at v2.22.14). */
export function ciraConfigsSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('configName', 'cira_config_name');
  const data = [
    f('mpsServerAddress', 'mps_server_address'),
    f('mpsPort', 'mps_port', 'int'),
    f('username', 'user_name'),
    f('password', 'password'),
    f('commonName', 'common_name'),
    f('serverAddressFormat', 'server_address_format', 'int'),
    f('authMethod', 'auth_method', 'int'),
    f('mpsRootCertificate', 'mps_root_certificate'),
    f('proxyDetails', 'proxydetails'),
  ];
  const fields = [key, ...data, tenantField, versionField];
  return {
    table: 'ciraconfigs',
    key,
    fields,
    insert: without(fields, 'version'),
    update: data,
    versioned: true,
    // ciraConfigs.ts:132-135
    deleteError: (e, name) =>
      e.kind === 'foreign-key'
        ? new RPSError(
            c.CIRA_CONFIG_DELETION_FAILED_CONSTRAINT(name),
            'Foreign key violation',
          )
        : new RPSError(
            c.API_UNEXPECTED_EXCEPTION(`Delete CIRA config : ${name}`),
          ),
    // :171-174
    insertError: (e, name) =>
      e.kind === 'unique'
        ? new RPSError(
            c.CIRA_CONFIG_INSERTION_FAILED_DUPLICATE(name),
            'Unique key violation',
          )
        : new RPSError(c.API_UNEXPECTED_EXCEPTION(name)),
    // :215; the version check is :191
    updateError: (_e, name) => new RPSError(c.API_UNEXPECTED_EXCEPTION(name)),
  };
}
