import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, toError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  endpointKey,
  OPEN_AMT_ANNOTATIONS,
  PROBE_BINDING_KEYS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  DatabaseLoginError,
  provisioningContext,
  SecretStoreAuth,
  TaskSecrets,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  builtInRenderProviders,
  RenderProviders,
} from '../../render/providers';
import { appUserName, probeUserName } from '../../secrets/connectionString';
import { audited } from '../audit';
import { deploymentOfEntity, problemsOf } from './deploymentOfEntity';
import { examples } from './rotateSecrets.examples';
import { restartPlan, restartPlanMarkdown, RestartPlan } from './restartPlan';
import {
  boundTo,
  entriesToWrite,
  Entry,
  RotatableKind,
  ROTATABLE_KINDS,
  rotatedEntry,
} from './rotationPlan';

/** The workloads of a plan in restart order, for the log. */
const workloadsOf = (plan: RestartPlan) =>
  plan.steps.map(s => s.workload).join(' → ') || 'nothing';

const STORE_FIELD = `open-amt.io/secrets-endpoint (the System's store)`;
const DB_FIELD = OPEN_AMT_ANNOTATIONS.databaseEndpoint;

/** What happens between the action's steps, for the output text: the order is the safety argument. */
export const ROTATION_SEQUENCE = [
  '1. Everything is checked first (the System, the store, every entry and its binding, the database administrator login); a failure changes nothing.',
  '2. The new values are written to the store as new versions (earlier versions stay readable where the store keeps versions). Running services are not affected: they read secrets only at start. Do not restart anything yet.',
  '3. The database passwords are changed (ALTER ROLE / ALTER USER / ALTER LOGIN). Open connections stay logged in; from here until step 4 a running service cannot open a new database connection with its old password.',
  '4. Restart in the order below, right away: each service then reads the new version.',
  'If the action fails in step 2 or 3, do not restart; run it again (it writes new versions and sets them on the database). The store is written before the database so that the password the database will accept is never only in this task.',
].join('\n');

/**
 * open-amt:secrets:rotate — gives a deployment new secrets: JWT secret, web admin password, database app passwords,
 * probe credentials (any subset). Store first, then the database, then the restart plan (ROTATION_SEQUENCE).
 * Audited as `secrets-rotate` (severity high). Dry-run reads the catalog only and lists what would change.
 */
export function createRotateSecretsAction(
  options: {
    catalog?: CatalogService;
    auth?: AuthService;
    providers?: RenderProviders;
    config?: Config;
    auditor?: AuditorService;
    /** Replaceable store identity (default: the store adapter's taskAuth, as provisioning does). */
    resolveStoreAuth?: (secrets: TaskSecrets) => SecretStoreAuth;
    /** Replaceable store location (default: the adapter's reading of the System's annotations). */
    storeSpecOf?: (spec: any) => any;
  } = {},
) {
  const providers = options.providers ?? builtInRenderProviders();
  return createTemplateAction({
    id: 'open-amt:secrets:rotate',
    description:
      "Rotates an Open AMT deployment's secrets (JWT, web admin, database app passwords, probe): new store versions, database passwords changed, restart order.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        deployment: z =>
          z
            .string()
            .describe(
              'The deployment System (entity ref, e.g. system:default/amt-prod)',
            ),
        rotate: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              `Entries to rotate, any of ${ROTATABLE_KINDS.join(
                ', ',
              )} (default all)`,
            ),
        databaseAdminUser: z =>
          z
            .string()
            .optional()
            .describe(
              'Database administrator (needed when db-mps, db-rps or probe rotate)',
            ),
        adminPasswordSecret: z =>
          z
            .string()
            .optional()
            .describe(
              'Task secret with the administrator password (default databaseAdminPassword)',
            ),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Kubernetes namespace of the deployment, for the restart commands (default open-amt)',
            ),
      },
      output: {
        entries: z =>
          z
            .array(
              z.object({
                ref: z.string(),
                version: z.string().optional(),
              }),
            )
            .describe('Entries given a new version (references only)'),
        databaseUsers: z =>
          z.array(z.string()).describe('Logins given a new password'),
        restart: z => z.any().describe('Restart plan (target, refresh, steps)'),
        restartMarkdown: z => z.string(),
        sequence: z => z.string(),
      },
    },
    async handler(ctx) {
      const selected = selection(ctx.input.rotate);
      const namespace = ctx.input.namespace?.trim() || 'open-amt';
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))
        throw new InputError(
          'namespace must be a Kubernetes namespace (lower-case letters, digits and hyphens)',
        );
      const deployment = await deploymentOfEntity(
        ctx.input.deployment,
        options.catalog,
        options.auth,
        providers,
      );
      const storeRenderer = deployment.secrets
        ? providers.secretStores[deployment.secrets.provider]
        : undefined;
      if (!deployment.secrets || !storeRenderer)
        throw new InputError(
          `${STORE_FIELD}: ${
            deployment.entityRef
          } names no secrets store this portal can write (${
            problemsOf(deployment, 'secrets') || 'annotation missing'
          })`,
        );
      const dbRenderer = deployment.database
        ? providers.databases[deployment.database.provider]
        : undefined;
      // PostgreSQL gives the probe a monitoring login of its own; elsewhere it logs in as the MPS app user.
      const ownProbeLogin = dbRenderer?.info.engine === 'postgres';
      const touchesDatabase =
        selected.has('db-mps') ||
        selected.has('db-rps') ||
        (selected.has('probe') && ownProbeLogin);
      if (touchesDatabase && (!deployment.database || !dbRenderer))
        throw new InputError(
          `${DB_FIELD}: ${
            deployment.entityRef
          } names no database this portal knows (${
            problemsOf(deployment, 'database') || 'annotation missing'
          })`,
        );
      const kinds = entriesToWrite(selected, !ownProbeLogin);
      const name = deployment.deployment;
      const entryName = (k: RotatableKind) => `${name}-${k}`;
      const gateway = deployment.gateway
        ? providers.gateways[deployment.gateway.provider]
        : undefined;
      const plan = restartPlan(deployment, kinds, gateway, namespace);
      const named = { name } as Parameters<typeof appUserName>[0];
      const expectedLogins = [
        ...(selected.has('db-mps') ? [appUserName(named, 'mps')] : []),
        ...(selected.has('db-rps') ? [appUserName(named, 'rps')] : []),
        ...(selected.has('probe') && ownProbeLogin
          ? [probeUserName(named)]
          : []),
      ];
      const report = (
        entries: { ref: string; version?: string }[],
        users: string[],
      ) => {
        ctx.output('entries', entries);
        ctx.output('databaseUsers', users);
        ctx.output('restart', plan);
        ctx.output('restartMarkdown', restartPlanMarkdown(plan));
        ctx.output('sequence', ROTATION_SEQUENCE);
      };

      const storeSpecRaw = storeRenderer.adapter.specFromAnnotations({
        provider: deployment.secrets.provider,
        endpoint: deployment.secrets.endpoint,
        mount: deployment.secrets.mount,
      });
      if (typeof storeSpecRaw === 'string')
        throw new InputError(`${STORE_FIELD}: ${storeSpecRaw}`);
      const storeSpec = options.storeSpecOf
        ? options.storeSpecOf(storeSpecRaw)
        : storeSpecRaw;
      const store = storeRenderer.adapter;
      const refOf = (k: RotatableKind) => store.refFor(storeSpec, entryName(k));
      // The probe's reference on the System must be where this rotation writes: else the portal would keep probing
      // with the old entry.
      if (
        deployment.credentialsRef &&
        deployment.credentialsRef !== refOf('probe')
      )
        throw new InputError(
          `${OPEN_AMT_ANNOTATIONS.credentialsRef}: ${
            deployment.credentialsRef
          } is not ${refOf(
            'probe',
          )}, the probe entry the store annotations locate; fix the System's annotations first`,
        );

      // Dry-run gets no task secrets (the scaffolder withholds them) and contacts nothing.
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write new versions of ${kinds.map(refOf).join(', ')}${
            expectedLogins.length
              ? `, then set new passwords for ${expectedLogins.join(', ')} on ${
                  deployment.database!.host
                }:${deployment.database!.port}`
              : ''
          }; then restart: ${
            plan.steps.map(s => s.workload).join(', ') || 'nothing'
          }`,
        );
        report(
          kinds.map(k => ({ ref: refOf(k) })),
          expectedLogins,
        );
        return;
      }

      // ---- checks: nothing changes until all pass ----
      const adminPasswordSecret =
        ctx.input.adminPasswordSecret ?? 'databaseAdminPassword';
      const adminPassword = ctx.secrets?.[adminPasswordSecret];
      const adminUser = ctx.input.databaseAdminUser?.trim();
      if (touchesDatabase) {
        if (!adminUser)
          throw new InputError(
            'databaseAdminUser is required to rotate database passwords',
          );
        if (adminPassword === undefined)
          throw new InputError(
            `secrets.${adminPasswordSecret} is required: the database administrator password, as a task secret (ui:field Secret)`,
          );
        if (!dbRenderer!.adapter.setPasswords)
          throw new InputError(
            `${DB_FIELD}: the ${
              deployment.database!.provider
            } adapter cannot change passwords; rotate db-mps, db-rps and probe by hand`,
          );
      }
      if (!store.taskAuth && !options.resolveStoreAuth)
        throw new InputError(
          `${STORE_FIELD}: the ${deployment.secrets.provider} store cannot be written by the scaffolder`,
        );
      const auth = options.resolveStoreAuth
        ? options.resolveStoreAuth(ctx.secrets)
        : store.taskAuth!(
            ctx.secrets,
            options.config?.getOptionalConfig('openAmt.scaffolder'),
          );
      const timeoutMs =
        options.config?.getOptionalNumber('openAmt.scaffolder.timeoutMs') ??
        30_000;
      const probe = await store.probe(
        storeSpec,
        auth,
        provisioningContext(timeoutMs),
      );
      if (probe.status === 'down')
        throw new InputError(
          `${STORE_FIELD}: the secrets store cannot be used: ${probe.message}`,
        );
      const read = async (k: RotatableKind) => {
        try {
          return await store.read(storeSpec, auth, entryName(k));
        } catch (error) {
          throw new InputError(
            `${STORE_FIELD}: cannot read ${refOf(k)}: ${
              toError(error).message
            }`,
          );
        }
      };
      const needed = new Set<RotatableKind>(kinds);
      if (needed.has('probe')) {
        needed.add('mpsweb');
        needed.add('db-mps');
      }
      const current: Partial<Record<RotatableKind, Entry>> = {};
      for (const k of ROTATABLE_KINDS.filter(x => needed.has(x))) {
        const entry = await read(k);
        if (!entry)
          throw new InputError(
            `${STORE_FIELD}: ${refOf(
              k,
            )} is not in the store; run open-amt:secrets:provision first (rotation replaces existing secrets only)`,
          );
        current[k] = entry;
      }
      const endpoint = deployment.database
        ? endpointKey(deployment.database.host, deployment.database.port)
        : undefined;
      for (const k of ['db-mps', 'db-rps'] as const) {
        if (selected.has(k) && !boundTo(current[k]!, endpoint!))
          throw new InputError(
            `${DB_FIELD}: the login in ${refOf(k)} was made for ${
              current[k]![PROBE_BINDING_KEYS.databaseEndpoint] ??
              'a database not recorded with it'
            }, not ${endpoint}; run open-amt:secrets:provision and open-amt:database:init for this database first`,
          );
      }
      if (
        current.probe &&
        current.probe[PROBE_BINDING_KEYS.entityRef] !== deployment.entityRef
      )
        throw new InputError(
          `deployment: ${refOf('probe')} is bound to ${
            current.probe[PROBE_BINDING_KEYS.entityRef] ?? 'no deployment'
          }, not ${deployment.entityRef}`,
        );
      if (
        selected.has('probe') &&
        ownProbeLogin &&
        !boundTo(current.probe!, endpoint!)
      )
        throw new InputError(
          `${DB_FIELD}: the probe login in ${refOf('probe')} was made for ${
            current.probe![PROBE_BINDING_KEYS.databaseEndpoint] ??
            'another database'
          }, not ${endpoint}`,
        );
      // Every new value is built once before any write, so an entry that cannot be rotated fails here.
      for (const k of kinds) {
        try {
          rotatedEntry(k, current, selected, refOf(k));
        } catch (error) {
          throw new InputError(`${STORE_FIELD}: ${toError(error).message}`);
        }
      }
      const dbAdapter = dbRenderer?.adapter;
      const target = deployment.database && {
        host: deployment.database.host,
        port: deployment.database.port,
        tlsMode: deployment.database.tlsMode,
        rpsDatabase: deployment.database.rpsDatabase,
        mpsDatabase: deployment.database.mpsDatabase,
        toolkitRelease: deployment.database.toolkitRelease,
        // database:init gives the probe entry the CA the services verify with (syncProbeDatabaseCa).
        ...(current.probe?.databaseCa ? { ca: current.probe.databaseCa } : {}),
      };
      const admin = { user: adminUser ?? '', password: adminPassword ?? '' };
      if (touchesDatabase && dbAdapter?.checkAdminLogin) {
        await dbAdapter.checkAdminLogin(target!, admin).catch(error => {
          const reason =
            error instanceof DatabaseLoginError
              ? `${error.reason}: ${error.message}`
              : toError(error).message;
          throw new InputError(
            `databaseAdminUser or secrets.${adminPasswordSecret}: ${
              target!.host
            }:${
              target!.port
            } refused the administrator login (${reason}); nothing was changed`,
          );
        });
      }

      // ---- changes: store first, then the database (ROTATION_SEQUENCE) ----
      const outcome = await audited(
        options.auditor,
        {
          eventId: 'secrets-rotate',
          severityLevel: 'high',
          actor: ctx.user?.ref,
          meta: {
            deployment: deployment.entityRef,
            store: deployment.secrets.provider,
            paths: kinds.map(refOf),
            databaseUsers: expectedLogins,
          },
        },
        async () => {
          const written: { ref: string; version?: string }[] = [];
          for (const k of kinds) {
            const result = await ctx.checkpoint({
              key: `open-amt.secrets.rotate.${entryName(k)}`,
              fn: async () => {
                const next = rotatedEntry(k, current, selected, refOf(k));
                const [res] = await store
                  .write(
                    storeSpec,
                    auth,
                    { [entryName(k)]: next },
                    { rotate: true },
                  )
                  .catch(error => {
                    throw new Error(
                      `${refOf(k)} could not be written (${
                        toError(error).message
                      }). ${
                        written.length
                          ? `${written
                              .map(w => w.ref)
                              .join(', ')} already have new versions; `
                          : ''
                      }no database password was changed. Do not restart anything; run the rotation again.`,
                    );
                  });
                return { ref: res.ref, version: res.version ?? null };
              },
            });
            // Values come back from the store, never from a checkpoint: a retried task continues from what is stored.
            current[k] = (await read(k))!;
            written.push({
              ref: result.ref,
              ...(result.version ? { version: result.version } : {}),
            });
            ctx.logger.info(
              `Wrote a new version of ${result.ref}${
                result.version ? ` (version ${result.version})` : ''
              }`,
            );
          }
          const users = [
            ...(selected.has('db-mps') ? [current['db-mps']!] : []),
            ...(selected.has('db-rps') ? [current['db-rps']!] : []),
          ].map(e => ({ user: e.user, password: e.password }));
          if (selected.has('probe') && ownProbeLogin)
            users.push({
              user: current.probe!.dbUser,
              password: current.probe!.dbPassword,
            });
          let changed: string[] = [];
          if (users.length) {
            const r = await ctx.checkpoint({
              key: `open-amt.secrets.rotate.${name}.database`,
              fn: () =>
                dbAdapter!.setPasswords!(target!, admin, users).catch(error => {
                  throw new Error(
                    `${written
                      .map(w => w.ref)
                      .join(
                        ', ',
                      )} have new versions, but changing the database passwords on ${
                      target!.host
                    }:${target!.port} failed (${
                      toError(error).message
                    }). Do not restart anything; run the rotation again.`,
                  );
                }),
            });
            changed = r.changed;
            ctx.logger.info(
              `Set new passwords for ${changed.join(', ')} on ${target!.host}:${
                target!.port
              }`,
            );
          }
          return { written, changed };
        },
        r => ({ written: r.written.map(w => w.ref), databaseUsers: r.changed }),
      );
      ctx.logger.info(`Restart now, in this order: ${workloadsOf(plan)}`);
      report(outcome.written, outcome.changed);
    },
  });
}

function selection(input: string[] | undefined): Set<RotatableKind> {
  const list = input ?? [...ROTATABLE_KINDS];
  if (!list.length)
    throw new InputError(
      `rotate must name at least one of ${ROTATABLE_KINDS.join(', ')}`,
    );
  const unknown = list.filter(
    k => !(ROTATABLE_KINDS as readonly string[]).includes(k),
  );
  if (unknown.length)
    throw new InputError(
      `rotate: ${unknown.join(', ')} ${
        unknown.length > 1 ? 'are' : 'is'
      } not an entry that rotates (${ROTATABLE_KINDS.join(', ')})`,
    );
  return new Set(list as RotatableKind[]);
}
