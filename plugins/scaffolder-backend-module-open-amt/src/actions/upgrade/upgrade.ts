import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { kitBundleContent } from '@open-amt-backstage/open-amt-provider-kit';
import {
  RecordedSpecError,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { SchemaMigrationReport } from '@open-amt-backstage/plugin-open-amt-node';
import { renderDeployment } from '../../render';
import { summarizeFileChanges } from '../../render/diff';
import { databaseRendererOf, RenderProviders } from '../../render/providers';
import { explainTlsFailure } from '../initDatabase/databaseTrust';
import type { StoreAuthResolver } from '../../secrets/storeAuth';
import { audited } from '../audit';
import { withKitBundles } from '../render/kitBundles';
import { writeRepositoryFiles } from '../render/writeRepository';
import { adminConnection } from './adminConnection';
import { examples } from './upgrade.examples';
import { upgradeDescription } from './upgradeDescription';
import { planUpgrade } from './upgradePlan';

const ENTITY_FIELD = 'Deployment (entityRef)';

function refuse(message: string): never {
  const error = new InputError(message);
  error.stack = error.message;
  throw error;
}

/**
 * open-amt:deployment:upgrade — moves a deployment to a newer toolkit release, from the spec its System records
 * (open-amt.io/deployment-spec). Refuses an unknown, equal or older release before anything is touched; plans the file
 * changes, the schema migration (one step per consecutive release) and the restart order; in a dry run reports the plan
 * and touches nothing (no database, no file). Otherwise migrates the databases (one checkpoint per release step, so a
 * retried task resumes after the last completed step) and writes the re-rendered repository into the workspace for a
 * pull request.
 *
 * Audited as `deployment-upgrade` (severity high: it changes the schema): who, which deployment and releases, then
 * which steps were applied. Never a password.
 */
export function createUpgradeDeploymentAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  providers?: RenderProviders;
  config?: Config;
  auditor?: AuditorService;
  resolveStoreAuth?: StoreAuthResolver;
  /** Where the provider kit's built bundles come from (default: the kit's own build). */
  kitBundle?: Parameters<typeof withKitBundles>[2];
}) {
  return createTemplateAction({
    id: 'open-amt:deployment:upgrade',
    description:
      'Upgrades an Open AMT deployment to a newer toolkit release from the spec its System records: migrates the databases step by step and writes the re-rendered repository for a pull request whose description lists the plan and restart order. Dry run: the plan only.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The deployment System, e.g. system:default/factory-east (EntityPicker)',
            ),
        targetRelease: z =>
          z
            .string()
            .describe('The toolkit release to upgrade to, e.g. v2.37.0'),
        adminPasswordSecret: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the task secret holding the database admin password (default databaseAdminPassword)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to write to (default: the workspace root)',
            ),
      },
      output: {
        entityRef: z => z.string(),
        fromRelease: z => z.string(),
        toRelease: z => z.string(),
        title: z => z.string().describe('Pull request title'),
        description: z =>
          z
            .string()
            .describe('Markdown for the pull request: plan and restart order'),
        branchName: z => z.string().describe('Branch for the pull request'),
        files: z =>
          z
            .array(z.string())
            .describe(
              'Paths written (none in a dry run), relative to targetPath',
            ),
        fileChanges: z =>
          z.array(z.string()).describe('`changed <path>` per changed file'),
        migrationSteps: z =>
          z
            .array(z.string())
            .describe('Migration steps applied or skipped (none in a dry run)'),
        warnings: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(ctx.input.entityRef, {
            defaultKind: 'system',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        refuse(`${ENTITY_FIELD}: ${(error as Error).message}`);
      }
      if (!ref.startsWith('system:'))
        refuse(`${ENTITY_FIELD}: ${ref} is not a System`);
      // The portal's own identity, as preflight reads the catalog: the user's permissions are the template's concern.
      const credentials = await options.auth.getOwnServiceCredentials();
      const entity = await options.catalog.getEntityByRef(ref, { credentials });
      if (!entity) refuse(`${ENTITY_FIELD}: ${ref} is not in the catalog`);
      let recorded: Record<string, unknown>;
      try {
        recorded = recordedSpecOf(entity);
      } catch (error) {
        if (error instanceof RecordedSpecError)
          refuse(`${ENTITY_FIELD}: ${error.message}`);
        throw error;
      }
      const plan = planUpgrade(
        recorded,
        ctx.input.targetRelease,
        options.providers,
      );
      const { before, after } = plan;
      const from = before.toolkitRelease;
      const to = after.toolkitRelease;
      for (const w of plan.warnings) ctx.logger.warn(w);
      ctx.logger.info(
        `Upgrade ${ref} ${from} → ${to}: ${
          plan.fileChanges.length
        } file(s) change; migration ${plan.hops
          .map(h => `${h.from} → ${h.to}`)
          .join(', ')}`,
      );
      const branchName = `open-amt-upgrade/${before.name}-${to}`;
      ctx.output('entityRef', ref);
      ctx.output('fromRelease', from);
      ctx.output('toRelease', to);
      ctx.output('title', `Upgrade ${before.name} to Open AMT toolkit ${to}`);
      ctx.output('branchName', branchName);
      ctx.output('fileChanges', summarizeFileChanges(plan.fileChanges));
      ctx.output('warnings', plan.warnings);
      if (ctx.isDryRun) {
        ctx.output('description', upgradeDescription(plan, ref, 'planned'));
        ctx.output('files', []);
        ctx.output('migrationSteps', []);
        return;
      }
      const adapter = databaseRendererOf(before).adapter;
      if (!adapter.migrate)
        refuse(
          `Database (spec.database.provider): the ${before.database.provider} adapter cannot migrate a schema; run the statements of the plan yourself, then upgrade again`,
        );
      const base = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.targetPath ?? '.',
      );
      // Every file, bundles included, is in hand before the first change: nothing half-written on a kit failure.
      const files = await withKitBundles(
        after,
        renderDeployment(after),
        options.kitBundle ?? kitBundleContent,
      );
      const { target, admin } = await adminConnection(
        before,
        ctx.secrets,
        ctx.input.adminPasswordSecret ?? 'databaseAdminPassword',
        options,
        m => ctx.logger.warn(m),
      );
      const reports = await audited(
        options.auditor,
        {
          eventId: 'deployment-upgrade',
          severityLevel: 'high',
          actor: ctx.user?.ref,
          meta: {
            deployment: before.name,
            fromRelease: from,
            toRelease: to,
            engine: before.database.provider,
            host: target.host,
            port: target.port,
          },
        },
        async () => {
          const done: SchemaMigrationReport[] = [];
          for (const hop of plan.hops)
            done.push(
              await ctx.checkpoint({
                key: `open-amt.upgrade.${before.name}.${target.host}.${hop.from}-${hop.to}`,
                fn: async () => {
                  const r = await adapter.migrate!(
                    target,
                    admin,
                    hop.from,
                    hop.to,
                  ).catch(error => {
                    throw explainTlsFailure(before, error);
                  });
                  return {
                    from: r.from,
                    to: r.to,
                    steps: r.steps,
                    recorded: r.recorded,
                  };
                },
              }),
            );
          return done;
        },
        r => ({
          migrated: r.map(x => `${x.from} → ${x.to}`),
          applied: r.flatMap(x =>
            x.steps.filter(s => s.outcome === 'applied').map(s => s.step),
          ),
        }),
      );
      const steps = reports.flatMap(r =>
        r.steps.map(s => `${r.from} → ${r.to} ${s.step}: ${s.outcome}`),
      );
      for (const s of steps) ctx.logger.info(s);
      await writeRepositoryFiles(base, files);
      ctx.logger.info(
        `Wrote ${files.length} files of ${after.name} at ${to}; open the pull request from ${branchName}`,
      );
      ctx.output('description', upgradeDescription(plan, ref, 'applied'));
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('migrationSteps', steps);
    },
  });
}
