import type { QueryResult, SqlDatabase } from '../dialect';
import { SchemaColumns } from '../schemaColumns';
import type { RpsDataHost } from '../../host/rpsData';
import { EntityTable } from './entityTable';
import { DomainsTable } from './domainsTable';
import { ProfilesTable } from './profilesTable';
import {
  ProfileChildren,
  proxyChildren,
  wifiChildren,
} from './profileChildren';
import { ciraConfigsSpec } from './tables/ciraConfigs';
import { ieee8021xProfilesSpec } from './tables/ieee8021xProfiles';
import { proxyConfigsSpec } from './tables/proxyConfigs';
import { wirelessProfilesSpec } from './tables/wirelessProfiles';

/** The link tables under the method names of rps src/interfaces/database/IProfile{Wifi,Proxy}ConfigsDb.ts. */
const wifiLinks = (links: ProfileChildren) => ({
  getProfileWifiConfigs: links.get.bind(links),
  createProfileWifiConfigs: links.create.bind(links),
  deleteProfileWifiConfigs: links.delete.bind(links),
});
const proxyLinks = (links: ProfileChildren) => ({
  getProfileProxyConfigs: links.get.bind(links),
  createProfileProxyConfigs: links.create.bind(links),
  deleteProfileProxyConfigs: links.delete.bind(links),
});

/**
 * An object shaped like RPS's IDB (rps src/interfaces/database/IDb.ts@v2.39.4; v2.22.14 has no proxy tables and
 * never calls them) over any SQL dialect.
 */
export function createRpsDb(db: SqlDatabase, host: RpsDataHost) {
  const columns = new SchemaColumns(db);
  const ciraConfigs = new EntityTable(db, ciraConfigsSpec(host), host, columns);
  const ieee8021xProfiles = new EntityTable(
    db,
    ieee8021xProfilesSpec(host),
    host,
    columns,
  );
  const wifi = new ProfileChildren(db, wifiChildren, host);
  const proxy = new ProfileChildren(db, proxyChildren, host);
  return {
    ciraConfigs,
    domains: new DomainsTable(db, host, columns),
    profiles: new ProfilesTable(db, host, columns, wifi, proxy, {
      cira: (name, tenantId) => ciraConfigs.getByName(name, tenantId),
      ieee8021x: (name, tenantId) =>
        ieee8021xProfiles.getByName(name, tenantId),
    }),
    wirelessProfiles: new EntityTable(
      db,
      wirelessProfilesSpec(host),
      host,
      columns,
    ),
    profileWirelessConfigs: wifiLinks(wifi),
    ieee8021xProfiles,
    proxyConfigs: new EntityTable(db, proxyConfigsSpec(host), host, columns),
    profileProxyConfigs: proxyLinks(proxy),
    /** upstream callers: Index.ts and routes/admin/health/getHealth.ts send `SELECT 1` */
    query: (text: string, params?: unknown[]): Promise<QueryResult> =>
      db.query(text, params),
    close: () => db.close(),
  };
}

export type RpsDb = ReturnType<typeof createRpsDb>;
