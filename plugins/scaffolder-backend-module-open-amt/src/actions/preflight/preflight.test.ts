/**
 * open-amt:preflight against a scaffolder whose installed actions are given: the sentence it fails with, and what it
 * ignores. The real scaffolder API answers it in packages/backend's templatePreflight.test.ts.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { actionContext } from '../../__testUtils__/actionContext';
import { createPreflightAction } from './preflight';

function scaffolderWith(ids: string[]): ScaffolderService {
  return {
    listActions: async () => ids.map(id => ({ id, schema: {} })),
  } as unknown as ScaffolderService;
}

const factoryEast = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'factory-east', namespace: 'default' },
  spec: { owner: 'group:default/guests' },
};

async function run(
  installed: string[],
  input: Record<string, unknown>,
  catalogEntities?: (typeof factoryEast)[],
) {
  const action = createPreflightAction({
    scaffolder: scaffolderWith(installed),
    auth: mockServices.auth(),
    catalog: catalogEntities
      ? catalogServiceMock({ entities: catalogEntities })
      : undefined,
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

  describe('the deployment name', () => {
    const installed = ['open-amt:deployment:render'];
    const actions = ['open-amt:deployment:render'];

    it('refuses a name the catalog has when the run does not change that deployment', async () => {
      await expect(
        run(installed, { actions, deployment: 'factory-east' }, [factoryEast]),
      ).rejects.toThrow(
        'A deployment named factory-east exists already (system:default/factory-east); choose another name',
      );
      // A new name passes.
      await expect(
        run(installed, { actions, deployment: 'factory-west' }, [factoryEast]),
      ).resolves.toBeDefined();
    });

    it('accepts the existing name when the run changes that deployment, however its ref is spelled', async () => {
      for (const changeOf of [
        'system:default/factory-east',
        'System:factory-east',
      ])
        await expect(
          run(installed, { actions, deployment: 'factory-east', changeOf }, [
            factoryEast,
          ]),
        ).resolves.toMatchObject({ checked: actions });
    });

    it('refuses a change whose name is not the changed deployment, or of a deployment the catalog lacks', async () => {
      const other = {
        ...factoryEast,
        metadata: { ...factoryEast.metadata, name: 'factory-west' },
      };
      await expect(
        run(
          installed,
          {
            actions,
            deployment: 'factory-east',
            changeOf: 'system:default/factory-west',
          },
          [factoryEast, other],
        ),
      ).rejects.toThrow(
        "This run changes system:default/factory-west, not system:default/factory-east: a change keeps the deployment's name (nothing was provisioned).",
      );
      await expect(
        run(
          installed,
          {
            actions,
            deployment: 'factory-north',
            changeOf: 'system:default/factory-north',
          },
          [factoryEast],
        ),
      ).rejects.toThrow(
        'The catalog has no system:default/factory-north to change (nothing was provisioned).',
      );
    });
  });
});
