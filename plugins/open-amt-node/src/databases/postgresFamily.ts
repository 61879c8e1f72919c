import type { DatabaseProviderId } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseAdapter,
  DatabaseCredentials,
  DatabaseTarget,
  ProbeContext,
} from '../types';
import { validateDatabaseNames } from './identifiers';
import { checkLogin } from './loginCheck';
import { newPostgresClient } from './postgresConnection';
import { classifyPostgresError } from './postgresErrors';
import { initializePostgres } from './postgresInitialize';
import { setPostgresPasswords } from './postgresPasswords';
import { postgresEngine } from './postgresProbe';
import { runDatabaseProbe } from './probeModel';
import { postgresMigrationSql, postgresScripts } from './schema/postgres';
import {
  detectPostgresVersions,
  migratePostgres,
} from './postgresSchemaVersion';
import { releaseFor } from './schema/model';

export { postgresSsl } from './postgresConnection';

export interface PostgresFamilyOptions {
  provider: DatabaseProviderId;
  label: string;
  /** Database the admin connects to for CREATE DATABASE / CREATE ROLE. */
  maintenanceDatabase?: string;
  /** Added to the error when CREATE EXTENSION citext fails (e.g. Azure's allow-list). */
  citextHint?: string;
  /** Connect timeout for initialize(); probes use ctx.timeoutMs. */
  initConnectTimeoutMs?: number;
}

/**
 * Builds the adapter for a PostgreSQL-compatible service. Self-hosted, Azure and RDS differ only in label
 * and hints: the wire protocol, catalog and privileges are the same. The connection (postgresConnection),
 * the probe (postgresProbe) and init (postgresInitialize) live in their own files.
 */
export function createPostgresFamilyAdapter(
  options: PostgresFamilyOptions,
): DatabaseAdapter {
  const initOptions = {
    maintenanceDatabase: options.maintenanceDatabase ?? 'postgres',
    connectTimeoutMs: options.initConnectTimeoutMs ?? 15_000,
    citextHint: options.citextHint,
  };
  return {
    provider: options.provider,
    engine: 'postgres',
    schemaSql(names) {
      validateDatabaseNames(names);
      return {
        engine: 'postgres',
        ...postgresScripts(names, releaseFor(names.toolkitRelease)),
      };
    },
    probe(
      target: DatabaseTarget,
      credentials: DatabaseCredentials,
      ctx: ProbeContext,
    ) {
      return runDatabaseProbe(
        options.label,
        route => postgresEngine(options.label, target, credentials, route),
        target,
        credentials,
        ctx,
      );
    },
    initialize(target, admin, appUsers) {
      return initializePostgres(target, admin, appUsers, initOptions);
    },
    setPasswords(target, admin, users) {
      return setPostgresPasswords(target, admin, users, initOptions);
    },
    detectSchemaVersion(target, credentials) {
      return detectPostgresVersions(
        target,
        credentials,
        initOptions.connectTimeoutMs,
      );
    },
    migrate(target, admin, fromRelease, toRelease) {
      return migratePostgres(
        target,
        admin,
        fromRelease,
        toRelease,
        initOptions.connectTimeoutMs,
      );
    },
    migrationSql(fromRelease, toRelease) {
      return postgresMigrationSql(fromRelease, toRelease);
    },
    checkAdminLogin(target, admin) {
      return checkLogin(
        async () => {
          const client = newPostgresClient(
            target,
            admin,
            initOptions.maintenanceDatabase,
            initOptions.connectTimeoutMs,
            'init',
          );
          await client.connect();
          return { close: () => client.end() };
        },
        error =>
          classifyPostgresError(error, {
            tlsRequested: target.tlsMode !== 'disable',
            password: admin.password,
          }),
      );
    },
  };
}
