import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  RecordedSpecError,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../render';
import { diffRenderedFiles, summarizeFileChanges } from '../../render/diff';
import type { RenderProviders } from '../../render/providers';
import {
  SPEC_FIELD_LABELS,
  parseSpecInput,
  specInputSchema,
} from '../specInput';
import { examples } from './diff.examples';
import { changedFields, immutableChanges } from './immutableFields';
import { pullRequestDescription } from './pullRequestDescription';

/** An InputError whose task log line is its sentence (the log shows a failed step's stack). */
function refusal(message: string): InputError {
  const error = new InputError(message);
  error.stack = message;
  return error;
}

/**
 * open-amt:deployment:diff — changing a deployment: reads the spec its System recorded (with this module's own
 * service credentials, as the preflight does: the catalog's copy, whoever runs the template), refuses a change of a
 * field that cannot change in place (immutableFields.ts, each named with why), and outputs what re-rendering with
 * the new spec changes in the repository: the files, their patches and a pull request description. Reads only, so
 * it runs in dry-run too.
 */
export function createDiffDeploymentAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  providers?: RenderProviders;
}) {
  return createTemplateAction({
    id: 'open-amt:deployment:diff',
    description:
      "Compares a deployment's recorded spec (open-amt.io/deployment-spec on its System) with a changed one: refuses fields that cannot change in place, outputs the changed files, patches and a pull request description.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        changeOf: z =>
          z
            .string()
            .describe(
              'Entity ref of the System being changed, e.g. system:default/factory-east',
            ),
        spec: specInputSchema,
      },
      output: {
        files: z =>
          z
            .array(
              z.object({
                path: z.string(),
                // A string, not z.enum: the enum's inferred union prints in the compiler's order in the API report,
                // which differs from one build to the next.
                kind: z.string().describe('added, removed or changed'),
              }),
            )
            .describe('The files the change adds, removes or changes'),
        summary: z =>
          z.array(z.string()).describe('One line per file: "changed <path>"'),
        fields: z =>
          z.array(z.string()).describe('The spec fields the change alters'),
        patch: z => z.string().describe('Unified diff of every changed file'),
        markdown: z =>
          z
            .string()
            .describe(
              'Pull request description: fields, files and patches (cut when long)',
            ),
      },
    },
    async handler(ctx) {
      const ref = entityRefOf(ctx.input.changeOf);
      const credentials = await options.auth.getOwnServiceCredentials();
      const entity = await options.catalog.getEntityByRef(ref, {
        credentials,
      });
      if (!entity)
        throw refusal(
          `changeOf: the catalog has no ${ref} to change (nothing was provisioned).`,
        );
      let recorded;
      try {
        recorded = recordedSpecOf(entity);
      } catch (error) {
        if (error instanceof RecordedSpecError)
          throw refusal(
            `changeOf: ${error.message} (nothing was provisioned).`,
          );
        throw error;
      }
      const before = parseRecorded(recorded, ref, options.providers);
      const after = parseSpecInput(ctx.input.spec, options.providers);
      const fields = changedFields(before, after);
      const refused = immutableChanges(fields);
      if (refused.length)
        throw refusal(
          `${refused
            .map(r => `${fieldName(r.path)} cannot change in place: ${r.why}`)
            .join('; ')} (nothing was provisioned).`,
        );
      const files = diffRenderedFiles(
        renderDeployment(before),
        renderDeployment(after),
      );
      if (files.length === 0)
        throw refusal(
          `Nothing to change: the form renders ${before.name}'s repository as it is (nothing was provisioned).`,
        );
      const summary = summarizeFileChanges(files);
      ctx.logger.info(
        `${before.name}: ${fields
          .map(f => f.path)
          .join(', ')} changed; ${summary.join(', ')}`,
      );
      ctx.output(
        'files',
        files.map(({ path, kind }) => ({ path, kind })),
      );
      ctx.output('summary', summary);
      ctx.output(
        'fields',
        fields.map(f => f.path),
      );
      ctx.output('patch', files.map(f => f.patch).join(''));
      ctx.output(
        'markdown',
        pullRequestDescription({ name: before.name, fields, files }),
      );
    },
  });
}

/** `MPS FQDN (spec.fqdn)` for a field the form labels, `spec.jwtIssuer` otherwise. */
function fieldName(path: string): string {
  const label = SPEC_FIELD_LABELS[path];
  return label ? `${label} (spec.${path})` : `spec.${path}`;
}

/** `system:default/x`, normalized; anything but a System is refused, naming the input. */
function entityRefOf(input: string): string {
  let ref;
  try {
    ref = parseEntityRef(input.trim(), { defaultKind: 'system' });
  } catch (error) {
    throw refusal(`changeOf: ${(error as Error).message}`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'system')
    throw refusal(
      `changeOf must name a System (a deployment), not ${stringifyEntityRef(
        ref,
      )}.`,
    );
  return stringifyEntityRef(ref);
}

/** The recorded spec, validated as a form's is; a bad one is the System's fault, and says so. */
function parseRecorded(
  recorded: Record<string, unknown>,
  ref: string,
  providers?: RenderProviders,
) {
  try {
    return parseSpecInput(recorded, providers);
  } catch (error) {
    if (error instanceof InputError || error instanceof NotFoundError)
      throw refusal(
        `changeOf: the spec ${ref} records is not valid any more: ${error.message} (nothing was provisioned).`,
      );
    throw error;
  }
}
