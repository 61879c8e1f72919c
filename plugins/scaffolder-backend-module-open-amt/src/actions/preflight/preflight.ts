import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  type ScaffolderService,
} from '@backstage/plugin-scaffolder-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { deploymentEntityRef } from '@open-amt-backstage/plugin-open-amt-common';
import { ACTION_MODULES } from './actionModules';
import { examples } from './preflight.examples';

/** An InputError whose task log line is its sentence: the log shows a failed step's error.stack. */
function refusal(message: string): InputError {
  const error = new InputError(message);
  error.stack = message;
  return error;
}

/** `system:default/x` for any spelling of a System's ref; the input as written when it is not a ref. */
function normalizedRef(input: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(input, { defaultKind: 'system' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return input;
  }
}

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The sentence a person reads when actions are missing: which ones, and what to install for each. */
export function missingActionsMessage(
  missing: string[],
  modules: Record<string, string>,
): string {
  const named = missing.map(id => {
    const module = modules[id] ?? ACTION_MODULES[id];
    return module ? `${id} (install ${module})` : id;
  });
  return `This portal's scaffolder does not have the action${
    missing.length > 1 ? 's' : ''
  } ${listed(named)} that this template calls; add ${
    missing.length > 1 ? 'them' : 'it'
  } to the backend and run the template again (nothing was provisioned).`;
}

/**
 * open-amt:preflight — the first step of a template: asks the scaffolder's own API which actions are installed
 * and fails, before any later step has a side effect, when one the template will call is not. The template passes
 * the list, computed from its parameters (e.g. the chosen publish action); empty entries (a step that will not
 * run) are ignored.
 */
export function createPreflightAction(options: {
  scaffolder: ScaffolderService;
  auth: AuthService;
  /** Without it, `deployment` is not checked against the catalog. */
  catalog?: CatalogService;
}) {
  return createTemplateAction({
    id: 'open-amt:preflight',
    description:
      "Fails with one sentence naming each missing action and the module that provides it, when an action the template's later steps call is not installed. Run it first.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        actions: z =>
          z
            .array(z.string().optional())
            .describe(
              'Ids of the actions the later steps call; empty entries are ignored',
            ),
        modules: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              'Package or module providing an action, by action id, for actions this module does not know',
            ),
        deployment: z =>
          z
            .string()
            .optional()
            .describe(
              "The deployment's name: refused when the catalog already has its System, unless that System is changeOf",
            ),
        changeOf: z =>
          z
            .string()
            .optional()
            .describe(
              'Entity ref of the System this run changes (the template changes a deployment instead of creating one); deployment must be its name',
            ),
      },
      output: {
        checked: z =>
          z.array(z.string()).describe('The action ids found installed'),
      },
    },
    async handler(ctx) {
      const wanted = [
        ...new Set(
          ctx.input.actions.map(a => a?.trim()).filter((a): a is string => !!a),
        ),
      ];
      const credentials = await options.auth.getOwnServiceCredentials();
      const installed = await options.scaffolder.listActions(
        {},
        { credentials },
      );
      const ids = new Set(installed.map(a => a.id));
      const missing = wanted.filter(id => !ids.has(id));
      if (missing.length) {
        const error = new InputError(
          missingActionsMessage(missing, ctx.input.modules ?? {}),
        );
        // The task log shows a failed step's error.stack: for a person, the sentence is the whole story.
        error.stack = error.message;
        throw error;
      }
      const name = ctx.input.deployment?.trim();
      const changeOf = ctx.input.changeOf?.trim();
      if (name && changeOf) {
        // Changing a deployment: the name is that System's, and the System exists (it is read, not created).
        const ref = deploymentEntityRef(name);
        if (normalizedRef(changeOf) !== ref)
          throw refusal(
            `This run changes ${changeOf}, not ${ref}: a change keeps the deployment's name (nothing was provisioned).`,
          );
        if (
          options.catalog &&
          !(await options.catalog.getEntityByRef(ref, { credentials }))
        )
          throw refusal(
            `The catalog has no ${ref} to change (nothing was provisioned).`,
          );
      } else if (name && options.catalog) {
        // The portal's own identity: a System this user may not read still exists, and publishing would collide.
        const ref = deploymentEntityRef(name);
        const existing = await options.catalog.getEntityByRef(ref, {
          credentials,
        });
        if (existing)
          throw refusal(
            `A deployment named ${name} exists already (${ref}); choose another name: this template creates new deployments (nothing was provisioned).`,
          );
      }
      ctx.logger.info(`Installed: ${wanted.join(', ')}`);
      ctx.output('checked', wanted);
    },
  });
}
