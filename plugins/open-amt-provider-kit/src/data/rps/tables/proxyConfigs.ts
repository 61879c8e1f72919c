import type { RpsDataHost } from '../../../host/rpsData';
import { tenantField, type EntitySpec } from '../entitySpec';
import { f } from './fields';

/** rps src/data/postgres/tables/proxyConfigs.ts@v2.39.4 (not at v2.22.14). No version: UPDATE matches key and tenant (:212-214). */
export function proxyConfigsSpec({
  RPSError,
  constants: c,
}: RpsDataHost): EntitySpec {
  const key = f('name', 'proxy_config_name');
  const data = [
    f('address', 'address'),
    f('infoFormat', 'info_format', 'int'),
    f('port', 'port', 'int'),
    f('networkDnsSuffix', 'network_dns_suffix'),
  ];
  const fields = [key, ...data, tenantField];
  const inUse = (name: string) =>
    c.NETWORK_CONFIG_DELETION_FAILED_CONSTRAINT('Proxy', name);
  return {
    table: 'proxyconfigs',
    key,
    fields,
    insert: fields,
    update: data,
    versioned: false,
    creationDate: true,
    // :132-142: refused while a profile links it
    deleteGuard: {
      table: 'profiles_proxyconfigs',
      column: 'proxy_config_name',
      error: name => new RPSError(inUse(name), 'Foreign key violation'),
    },
    // :156-159
    deleteError: (e, name) =>
      e.kind === 'foreign-key'
        ? new RPSError(inUse(name))
        : new RPSError(
            c.API_UNEXPECTED_EXCEPTION(`Delete proxy configuration : ${name}`),
          ),
    // :193-196
    insertError: (e, name) =>
      e.kind === 'unique'
        ? new RPSError(
            c.NETWORK_CONFIG_INSERTION_FAILED_DUPLICATE('Proxy', name),
            'Unique key violation',
          )
        : new RPSError(c.NETWORK_CONFIG_ERROR('Proxy', name)),
    // :230
    updateError: (_e, name) =>
      new RPSError(c.NETWORK_CONFIG_ERROR('Proxy', name)),
  };
}
