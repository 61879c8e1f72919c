import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  databaseRendererOf,
  gatewayRendererOf,
  secretStoreRendererOf,
} from '../../render/providers';
import path from 'path';
import { kitBundleContent } from '@open-amt-backstage/open-amt-provider-kit';
import { renderDeployment } from '../../render';
import { withKitBundles } from './kitBundles';
import { writeRepositoryFiles } from './writeRepository';
import type { RenderProviders } from '../../render/providers';
import { parseSpecInput, specInputSchema } from '../specInput';
import { examples } from './render.examples';

/**
 * open-amt:deployment:render — validates the whole spec first (nothing is written for a bad spec), then
 * writes the deployment repository into the workspace, with the provider kit's bundles beside the Dockerfiles of the
 * images it builds. Dry-run writes too: the workspace is the dry-run's sandbox and its files are what the dry-run
 * returns; publish:github and open-amt:publish:local publish the workspace as written here.
 */
export function createRenderDeploymentAction(
  options: {
    /** The databases, gateways and stores it renders (default: the built-ins); the module passes the added ones too. */
    providers?: RenderProviders;
    /** Where the provider kit's built bundles come from (default: the kit's own build). */
    kitBundle?: Parameters<typeof withKitBundles>[2];
  } = {},
) {
  return createTemplateAction({
    id: 'open-amt:deployment:render',
    description:
      'Validates an Open AMT deployment spec and writes the deployment repository (runbook, compose or Kubernetes, gateway, schema, secrets-store bootstrap, catalog-info.yaml) into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: specInputSchema,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to write to (default: the workspace root)',
            ),
      },
      output: {
        files: z =>
          z.array(z.string()).describe('Paths written, relative to targetPath'),
        entityRef: z =>
          z
            .string()
            .describe('The System entity the catalog-info.yaml declares'),
        catalogInfoPath: z =>
          z
            .string()
            .describe('catalog-info.yaml path relative to the workspace'),
        supportLevels: z =>
          z.record(z.string()).describe('Support level per replaced part'),
        spec: z =>
          z
            .record(z.any())
            .describe(
              'The validated spec with defaults applied (no secrets): input for the next steps',
            ),
      },
    },
    async handler(ctx) {
      const spec = parseSpecInput(ctx.input.spec, options.providers);
      const base = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.targetPath ?? '.',
      );
      // The built images' bundles come from the kit; all of them are read before anything is written.
      const files = await withKitBundles(
        spec,
        renderDeployment(spec),
        options.kitBundle ?? kitBundleContent,
      );
      await writeRepositoryFiles(base, files);
      ctx.logger.info(
        `Rendered ${files.length} files for ${spec.name} (${spec.target}, ${spec.database.provider}, ${spec.secrets.provider}, ${spec.gateway.provider})`,
      );
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('entityRef', `system:default/${spec.name}`);
      ctx.output(
        'catalogInfoPath',
        path.posix.join(ctx.input.targetPath ?? '.', 'catalog-info.yaml'),
      );
      ctx.output('spec', spec as unknown as Record<string, any>);
      ctx.output('supportLevels', {
        database: databaseRendererOf(spec).info.supportLevel,
        secrets: secretStoreRendererOf(spec).info.supportLevel,
        gateway: gatewayRendererOf(spec).info.supportLevel,
      });
    },
  });
}
