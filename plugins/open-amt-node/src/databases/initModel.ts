import type {
  DatabaseCredentials,
  DatabaseInitReport,
  DatabaseTarget,
} from '../types';

/** What every engine's initialize() starts from: nothing created, nothing changed. */
export function emptyInitReport(): Required<DatabaseInitReport> {
  return {
    createdDatabases: [],
    createdUsers: [],
    changes: [],
    passwordsSet: [],
  };
}

/** The two databases an Open AMT deployment owns, each with its least-privileged app user. */
export function initSides(
  target: DatabaseTarget,
  appUsers: { mps: DatabaseCredentials; rps: DatabaseCredentials },
) {
  return [
    { side: 'rps' as const, database: target.rpsDatabase, user: appUsers.rps },
    { side: 'mps' as const, database: target.mpsDatabase, user: appUsers.mps },
  ];
}
