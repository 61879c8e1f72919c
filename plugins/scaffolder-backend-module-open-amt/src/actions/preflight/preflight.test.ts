/**
 * open-amt:preflight against a scaffolder whose installed actions are given: the sentence it fails with, and what it
 * ignores. The real scaffolder API answers it in packages/backend's templatePreflight.test.ts.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { actionContext } from '../../__testUtils__/actionContext';
import { createPreflightAction } from './preflight';

function scaffolderWith(ids: string[]): ScaffolderService {
  return {
    listActions: async () => ids.map(id => ({ id, schema: {} })),
  } as unknown as ScaffolderService;
}

async function run(installed: string[], input: Record<string, unknown>) {
  const action = createPreflightAction({
    scaffolder: scaffolderWith(installed),
    auth: mockServices.auth(),
  });
  const { ctx, outputs } = actionContext({ input });
  await action.handler(ctx as any);
  return outputs;
}

describe('open-amt:preflight', () => {
  it('passes when every action is installed, ignoring the empty entries of steps that will not run', async () => {
    const outputs = await run(
      ['open-amt:deployment:render', 'publish:gitlab', 'catalog:register'],
      {
        actions: [
          'open-amt:deployment:render',
          '',
          'publish:gitlab',
          'catalog:register',
        ],
      },
    );
    expect(outputs.checked).toEqual([
      'open-amt:deployment:render',
      'publish:gitlab',
      'catalog:register',
    ]);
  });

  it('names the missing action and the module to install, in one sentence', async () => {
    const failure = run(['open-amt:deployment:render'], {
      actions: ['open-amt:deployment:render', 'publish:github'],
    });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      "This portal's scaffolder does not have the action publish:github (install @backstage/plugin-scaffolder-backend-module-github) that this template calls; add it to the backend and run the template again (nothing was provisioned).",
    );
  });

  it('lists several missing actions, with the module the template names for an action it does not know', async () => {
    await expect(
      run([], {
        actions: ['open-amt:publish:local', 'publish:azure', 'acme:thing'],
        modules: { 'open-amt:publish:local': 'the demo backend module' },
      }),
    ).rejects.toThrow(
      "This portal's scaffolder does not have the actions open-amt:publish:local (install the demo backend module), publish:azure (install @backstage/plugin-scaffolder-backend-module-azure) and acme:thing that this template calls; add them to the backend and run the template again (nothing was provisioned).",
    );
  });
});
