import { AuditorService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, toError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  databaseTargetFromSpec,
  DatabaseLoginError,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  databaseRendererOf,
  secretStoreRendererOf,
} from '../../render/providers';
import { secretEntryName } from '../../secrets/entries';
import { databaseEndpointOf } from '../../secrets/provision';
import { PROBE_BINDING_KEYS } from '@open-amt-backstage/plugin-open-amt-common';
import { resolveStoreAuth, StoreAuthResolver } from '../../secrets/storeAuth';
import { audited } from '../audit';
import type { RenderProviders } from '../../render/providers';
import { parseSpecInput, specInputSchema } from '../specInput';
import { assertTcpReachable } from '../reachability';
import { storeFieldOf } from '../storeField';
import { examples } from './initDatabase.examples';
import { explainLoginFailure } from './loginFailure';
import {
  explainTlsFailure,
  readDatabaseCa,
  syncProbeDatabaseCa,
} from './databaseTrust';

/**
 * open-amt:database:init — creates the rps and mps databases, extensions, schema and least-privileged
 * app users. The admin password is a task secret (`${{ secrets.databaseAdminPassword }}`); the app
 * users' passwords are read back from the store (written by open-amt:secrets:provision). Idempotent:
 * the adapter creates only what is missing, so a second run changes nothing.
 *
 * Audited as `database-init` (severity high: it creates logins and grants): who, which engine, host and
 * databases, then which databases and users were created. Never a password.
 */
export function createInitDatabaseAction(
  options: {
    /** The databases, gateways and stores the spec may name (default: the built-ins). */
    providers?: RenderProviders;
    config?: Config;
    resolveStoreAuth?: StoreAuthResolver;
    auditor?: AuditorService;
  } = {},
) {
  return createTemplateAction({
    id: 'open-amt:database:init',
    description:
      'Creates the Open AMT databases, schema and least-privileged users (idempotent) for the chosen engine.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: specInputSchema,
        adminPasswordSecret: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the task secret holding the admin password (default databaseAdminPassword)',
            ),
        checkOnly: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Only check that the server is reachable and accepts the administrator login (and CA), changing nothing: the step before the secrets are written',
            ),
      },
      output: {
        createdDatabases: z => z.array(z.string()),
        createdUsers: z => z.array(z.string()),
        changes: z =>
          z
            .number()
            .describe('Statements that changed something (0 on a re-run)'),
      },
    },
    async handler(ctx) {
      const spec = parseSpecInput(ctx.input.spec, options.providers);
      const info = databaseRendererOf(spec).info;
      const target = databaseTargetFromSpec(
        spec.database,
        info.defaultPort,
        spec.toolkitRelease,
      );
      // Dry-run gets no task secrets (the scaffolder withholds them) and must contact nothing.
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would initialise ${spec.database.rpsDatabase} and ${spec.database.mpsDatabase} on ${target.host}:${target.port}`,
        );
        ctx.output('createdDatabases', []);
        ctx.output('createdUsers', []);
        ctx.output('changes', 0);
        return;
      }
      const secretName =
        ctx.input.adminPasswordSecret ?? 'databaseAdminPassword';
      // An empty string is a (weak but real) password, e.g. a local MariaDB root; only absence is an error.
      const adminPassword = ctx.secrets?.[secretName];
      if (adminPassword === undefined) {
        throw new InputError(
          `secrets.${secretName} is required: the database administrator password, as a task secret (ui:field Secret)`,
        );
      }
      const auth = (options.resolveStoreAuth ?? resolveStoreAuth)(
        spec,
        ctx.secrets,
        options.config,
      );
      const store = secretStoreRendererOf(spec).adapter;
      const timeoutMs =
        options.config?.getOptionalNumber('openAmt.scaffolder.timeoutMs') ??
        30_000;
      // Reachability, the CA and the administrator login first: each fails naming its field before any change
      // (and, as the template's check step, before the secrets are written).
      try {
        await assertTcpReachable(
          target.host,
          target.port,
          Math.min(timeoutMs, 10_000),
        );
      } catch (error) {
        throw new InputError(
          `Host (spec.database.host): the database server at ${target.host}:${
            target.port
          } cannot be reached: ${
            toError(error).message
          }. Check the host, the port and the firewall.`,
        );
      }
      // The CA the deployment's services verify the server with: a missing or unreadable one fails here, before any change.
      const ca = await readDatabaseCa(spec, auth);
      const verified = ca ? { ...target, ca } : target;
      const adapter = databaseRendererOf(spec).adapter;
      const admin = { user: spec.database.adminUser, password: adminPassword };
      if (adapter.checkAdminLogin) {
        await adapter.checkAdminLogin(verified, admin).catch(error => {
          throw error instanceof DatabaseLoginError
            ? explainLoginFailure(spec, target.port, error)
            : error;
        });
      } else {
        ctx.logger.warn(
          `The ${spec.database.provider} adapter has no login check: the administrator login is tried when the databases are created`,
        );
      }
      if (ctx.input.checkOnly) {
        ctx.logger.info(
          `${target.host}:${target.port} accepts the administrator login of ${admin.user}; nothing changed`,
        );
        ctx.output('createdDatabases', []);
        ctx.output('createdUsers', []);
        ctx.output('changes', 0);
        return;
      }
      const readEntry = async (kind: 'db-mps' | 'db-rps') => {
        let entry: Record<string, string> | undefined;
        try {
          entry = await store.read(
            spec.secrets,
            auth,
            secretEntryName(spec, kind),
          );
        } catch (error) {
          throw new InputError(
            `${storeFieldOf(spec)}: cannot read ${secretEntryName(
              spec,
              kind,
            )} from the secrets store: ${toError(error).message}`,
          );
        }
        if (!entry?.user || !entry?.password) {
          throw new InputError(
            `spec.secrets: ${secretEntryName(
              spec,
              kind,
            )} is not in the store; run open-amt:secrets:provision first`,
          );
        }
        // A password goes only to the server it was made for (open-amt:secrets:provision binds and re-binds it).
        const bound = entry[PROBE_BINDING_KEYS.databaseEndpoint];
        if (bound !== databaseEndpointOf(spec)) {
          throw new InputError(
            `Host (spec.database.host): the password in ${secretEntryName(
              spec,
              kind,
            )} was made for ${
              bound ?? 'a database not recorded with it'
            }, not ${databaseEndpointOf(
              spec,
            )}; run open-amt:secrets:provision for this database first, which gives the login a new password.`,
          );
        }
        return { user: entry.user, password: entry.password };
      };
      /** The probe entry's database login, when it is its own (PostgreSQL), so init creates it. */
      const readProbeLogin = async (mpsUser: string) => {
        const entry = await store
          .read(spec.secrets, auth, secretEntryName(spec, 'probe'))
          .catch(() => undefined);
        return entry?.dbUser && entry.dbPassword && entry.dbUser !== mpsUser
          ? { user: entry.dbUser, password: entry.dbPassword }
          : undefined;
      };
      const mps = await readEntry('db-mps');
      const appUsers = {
        mps,
        rps: await readEntry('db-rps'),
        probe: await readProbeLogin(mps.user),
      };
      const report = await audited(
        options.auditor,
        {
          eventId: 'database-init',
          severityLevel: 'high',
          actor: ctx.user?.ref,
          meta: {
            deployment: spec.name,
            engine: spec.database.provider,
            host: target.host,
            port: target.port,
            databases: [spec.database.rpsDatabase, spec.database.mpsDatabase],
          },
        },
        () =>
          ctx.checkpoint({
            key: `open-amt.database.init.${spec.name}.${target.host}`,
            fn: async () => {
              // The server's certificate is verified at the first connection, before the adapter changes anything.
              const r = await adapter
                .initialize(verified, admin, appUsers)
                .catch(error => {
                  throw explainTlsFailure(spec, error);
                });
              return {
                createdDatabases: r.createdDatabases,
                createdUsers: r.createdUsers,
                changes: r.changes.length,
              };
            },
          }),
        r => ({
          createdDatabases: r.createdDatabases,
          createdUsers: r.createdUsers,
          changes: r.changes,
        }),
      );
      ctx.logger.info(
        `Database init on ${target.host}: ${
          report.changes
        } change(s); created databases [${report.createdDatabases.join(
          ', ',
        )}], users [${report.createdUsers.join(', ')}]`,
      );
      // The health probe verifies with the probe entry's databaseCa: the same CA, once init has verified with it.
      if (ca) {
        const probeEntry = secretEntryName(spec, 'probe');
        try {
          if (await syncProbeDatabaseCa(spec, auth, probeEntry, ca))
            ctx.logger.info(
              `${probeEntry}: databaseCa set to the CA in ${spec.database.caCertSecret} (the health probe verifies with it)`,
            );
        } catch (error) {
          throw new InputError(
            `${storeFieldOf(
              spec,
            )}: the databases are initialised, but ${probeEntry} could not be given the database CA (run the action again): ${
              toError(error).message
            }`,
          );
        }
      }
      ctx.output('createdDatabases', report.createdDatabases);
      ctx.output('createdUsers', report.createdUsers);
      ctx.output('changes', report.changes);
    },
  });
}
