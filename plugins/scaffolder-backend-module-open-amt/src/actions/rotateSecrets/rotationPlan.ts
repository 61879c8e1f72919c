/**
 * Which entries a rotation rewrites and with what: a new secret value in a copy of the entry as the store holds it,
 * everything else (issuer, user names, bindings, the database CA, a Vault token) kept. Connection strings get the
 * new password in place of the old, so host, database and TLS parameters stay exactly as provisioned.
 */
import { PROBE_BINDING_KEYS } from '@open-amt-backstage/plugin-open-amt-common';
import {
  generateDatabasePassword,
  generateJwtSecret,
  generateWebAdminPassword,
} from '../../secrets/generate';

export const ROTATABLE_KINDS = [
  'jwt',
  'mpsweb',
  'db-mps',
  'db-rps',
  'probe',
] as const;
export type RotatableKind = (typeof ROTATABLE_KINDS)[number];
export type Entry = Record<string, string>;

/** The keys of a database entry that carry its password inside a URL. */
const CONNECTION_STRING_KEYS = ['connectionString', 'routerConnectionString'];

/** `scheme://user:password@…` with the password replaced; undefined when the string does not hold `old` there. */
export function withPassword(
  url: string,
  user: string,
  old: string,
  password: string,
): string | undefined {
  const prefix = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!prefix) return undefined;
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(old)}@`;
  if (!url.startsWith(credentials, prefix.length)) return undefined;
  return `${prefix}${encodeURIComponent(user)}:${encodeURIComponent(
    password,
  )}@${url.slice(prefix.length + credentials.length)}`;
}

/** A database entry with a new password in every key that holds it; throws naming the key it cannot update. */
export function rotatedDatabaseEntry(
  entry: Entry,
  password: string,
  entryName: string,
): Entry {
  const next: Entry = { ...entry, password };
  for (const key of CONNECTION_STRING_KEYS) {
    if (entry[key] === undefined) continue;
    const url = withPassword(entry[key], entry.user, entry.password, password);
    if (!url)
      throw new Error(
        `${entryName}: its ${key} does not hold the entry's user and password; run open-amt:secrets:provision for the deployment to rewrite it`,
      );
    next[key] = url;
  }
  return next;
}

/** The new value of one entry from the values the store holds (`current`, with earlier rotations of this run). */
export function rotatedEntry(
  kind: RotatableKind,
  current: Partial<Record<RotatableKind, Entry>>,
  selected: ReadonlySet<RotatableKind>,
  entryName: string,
): Entry {
  const entry = current[kind];
  if (!entry) throw new Error(`${entryName} is not in the store`);
  switch (kind) {
    case 'jwt':
      return { ...entry, secret: generateJwtSecret() };
    case 'mpsweb':
      return { ...entry, password: generateWebAdminPassword() };
    case 'db-mps':
    case 'db-rps':
      return rotatedDatabaseEntry(entry, generateDatabasePassword(), entryName);
    case 'probe': {
      const web = current.mpsweb!;
      const mps = current['db-mps']!;
      // Where the probe logs in as the MPS app user (engines without a monitoring login), it follows db-mps.
      const sharesMpsLogin = entry.dbUser === mps.user;
      let dbPassword = entry.dbPassword;
      if (sharesMpsLogin) dbPassword = mps.password;
      else if (selected.has('probe')) dbPassword = generateDatabasePassword();
      return {
        ...entry,
        mpsUser: web.user,
        mpsPassword: web.password,
        dbPassword,
      };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown entry ${String(never)}`);
    }
  }
}

/**
 * The entries this rotation writes, in order: the chosen ones, plus the probe entry when it repeats a value that
 * changes (the web admin password; the MPS app password where the probe logs in as that user). Probe last.
 */
export function entriesToWrite(
  selected: ReadonlySet<RotatableKind>,
  probeSharesMpsLogin: boolean,
): RotatableKind[] {
  const probeFollows =
    selected.has('mpsweb') || (probeSharesMpsLogin && selected.has('db-mps'));
  return ROTATABLE_KINDS.filter(
    k => selected.has(k) || (k === 'probe' && probeFollows),
  );
}

/** True when the entry was made for this database endpoint (its password is sent to no other server). */
export const boundTo = (entry: Entry, endpoint: string) =>
  entry[PROBE_BINDING_KEYS.databaseEndpoint] === endpoint;
