/**
 * Provisioning logic of open-amt:secrets:provision, apart from the action wiring: which entries, in which
 * order, with which generated values. Existing values are kept unless `rotate`; the probe entry is built
 * from the values that end up in the store, so it always matches them.
 */
import { DATABASE_PROVIDERS, DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { appUserName, connectionString, probeUserName } from './connectionString';
import { SecretEntryKind } from './entries';
import { generateDatabasePassword, generateJwtSecret, generateWebAdminPassword } from './generate';

/** Entries the action writes, in order (probe last: it repeats values of mpsweb and db-mps). */
export const PROVISIONED_KINDS = ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe'] as const satisfies readonly SecretEntryKind[];
export type ProvisionedKind = (typeof PROVISIONED_KINDS)[number];

export function generateEntry(
  spec: DeploymentSpec,
  kind: ProvisionedKind,
  current: Partial<Record<ProvisionedKind, Record<string, string>>>,
): Record<string, string> {
  switch (kind) {
    case 'jwt':
      return { key: spec.jwtIssuer, secret: generateJwtSecret(), algorithm: 'HS256' };
    case 'mpsweb':
      return { user: 'admin', password: generateWebAdminPassword() };
    case 'db-mps':
    case 'db-rps': {
      const db = kind === 'db-mps' ? 'mps' : 'rps';
      const credentials = { user: appUserName(spec, db), password: generateDatabasePassword() };
      return { ...credentials, connectionString: connectionString(spec, db, credentials) };
    }
    case 'probe': {
      const web = current.mpsweb;
      const db = current['db-mps'];
      if (!web || !db) throw new Error('probe credentials need mpsweb and db-mps first');
      // PostgreSQL gets a monitoring login (CONNECT on both databases only, created by open-amt:database:init);
      // the other engines' adapters cannot create one yet, so their probe uses the MPS app user.
      const kept = current.probe;
      const probeDb =
        DATABASE_PROVIDERS[spec.database.provider].engine === 'postgres'
          ? {
              dbUser: probeUserName(spec),
              dbPassword: kept?.dbUser === probeUserName(spec) && kept.dbPassword ? kept.dbPassword : generateDatabasePassword(),
            }
          : { dbUser: db.user, dbPassword: db.password };
      return { mpsUser: web.user, mpsPassword: web.password, ...probeDb };
    }
    default:
      throw new Error(`unknown entry ${kind}`);
  }
}
