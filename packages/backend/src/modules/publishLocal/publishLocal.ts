import {
  AuditorService,
  AuthService,
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError, toError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'fs';
import path from 'path';
import { examples } from './publishLocal.examples';

/**
 * open-amt:publish:local — the demo portal's "publish" (registered by this backend only, not by the Open AMT
 * scaffolder module): copies the workspace to `<openAmt.scaffolder.localPublishDir>/<name>`, a folder its
 * catalog reads through a file location, then asks the catalog to refresh that location so the new System
 * appears without waiting for the next processing loop. Real use publishes to a repository with a built-in
 * publish action instead.
 *
 * Audited as `render-publish` (severity medium): who, which deployment, and the folder it was published to.
 */
export function createPublishLocalAction(options: {
  config: Config;
  catalog?: CatalogService;
  auth?: AuthService;
  logger?: LoggerService;
  auditor?: AuditorService;
}) {
  return createTemplateAction({
    id: 'open-amt:publish:local',
    description:
      "Copies the workspace into the portal's local deployments folder (openAmt.scaffolder.localPublishDir) for its catalog to read.",
    examples,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
            .describe('Folder name (the deployment name)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to publish (default: all of it)',
            ),
        overwrite: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Replace an existing folder of that name (default false)',
            ),
      },
      output: {
        path: z => z.string().describe('Absolute path of the published folder'),
        catalogInfoPath: z =>
          z.string().describe('Absolute path of its catalog-info.yaml'),
        remoteUrl: z =>
          z.string().describe('file:// URL of the published folder'),
      },
    },
    async handler(ctx) {
      const dir = options.config.getOptionalString(
        'openAmt.scaffolder.localPublishDir',
      );
      if (!dir)
        throw new InputError(
          'openAmt.scaffolder.localPublishDir is not configured: use a repository publish action instead',
        );
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(ctx.input.name))
        throw new InputError(
          'name must be lowercase letters, digits and hyphens',
        );
      const root = path.resolve(dir);
      const dest = resolveSafeChildPath(root, ctx.input.name);
      const source = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      const exists = await fs.stat(dest).then(
        () => true,
        () => false,
      );
      if (exists && !ctx.input.overwrite)
        throw new ConflictError(
          `${dest} already exists; set overwrite: true to replace it`,
        );
      const audit = await options.auditor?.createEvent({
        eventId: 'render-publish',
        severityLevel: 'medium',
        meta: {
          deployment: ctx.input.name,
          path: dest,
          overwrite: exists,
          actor: ctx.user?.ref ?? 'unknown',
        },
      });
      try {
        await fs.mkdir(root, { recursive: true });
        await replaceFolder(source, dest, exists);
      } catch (error) {
        await audit?.fail({ error: toError(error) });
        throw error;
      }
      await audit?.success({ meta: { published: dest } });
      const catalogInfoPath = path.join(dest, 'catalog-info.yaml');
      ctx.logger.info(`Published ${ctx.input.name} to ${dest}`);
      ctx.output('path', dest);
      ctx.output('catalogInfoPath', catalogInfoPath);
      ctx.output('remoteUrl', `file://${dest}`);
      await refreshCatalogLocation(options, catalogInfoPath).catch(e =>
        ctx.logger.warn(
          `Catalog refresh not requested (${
            toError(e).message
          }); the entity appears at the next processing loop`,
        ),
      );
    },
  });
}

/**
 * Copies source to dest whole or not at all: into a hidden sibling first (the catalog's file glob skips dot
 * folders), then swapped in by renames, so a failed copy leaves the deployment being replaced as it was and the
 * catalog never reads a half-written folder.
 */
async function replaceFolder(
  source: string,
  dest: string,
  exists: boolean,
): Promise<void> {
  const stamp = `${process.pid}-${Date.now()}`;
  const staged = path.join(
    path.dirname(dest),
    `.${path.basename(dest)}.publishing-${stamp}`,
  );
  const replaced = path.join(
    path.dirname(dest),
    `.${path.basename(dest)}.replaced-${stamp}`,
  );
  try {
    await fs.cp(source, staged, { recursive: true });
  } catch (error) {
    await fs.rm(staged, { recursive: true, force: true });
    throw error;
  }
  if (exists) await fs.rename(dest, replaced);
  await fs.rename(staged, dest);
  if (exists) await fs.rm(replaced, { recursive: true, force: true });
}

/** Refreshes the file Location whose glob covers the new file (best effort), as this backend's own service. */
async function refreshCatalogLocation(
  options: { catalog?: CatalogService; auth?: AuthService },
  catalogInfoPath: string,
): Promise<void> {
  if (!options.catalog || !options.auth) return;
  const credentials = await options.auth.getOwnServiceCredentials();
  const { items } = await options.catalog.getEntities(
    { filter: { kind: 'location' } },
    { credentials },
  );
  const published = path.resolve(catalogInfoPath);
  for (const loc of items) {
    const spec = (loc.spec ?? {}) as { target?: string; targets?: string[] };
    const targets = [spec.target, ...(spec.targets ?? [])].filter(
      (t): t is string => Boolean(t),
    );
    if (!targets.some(t => globToRegExp(t).test(published))) continue;
    await options.catalog.refreshEntity(
      `location:${loc.metadata.namespace ?? 'default'}/${loc.metadata.name}`,
      { credentials },
    );
  }
}

function globToRegExp(glob: string): RegExp {
  const abs = glob.startsWith('/') ? glob : path.resolve(glob);
  const escaped = abs
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}
