import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import module from '.';

describe('scaffolder-backend-module-open-amt', () => {
  it('registers the Open AMT actions with the scaffolder', async () => {
    const ids: string[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: { id: string }[]) =>
              ids.push(...actions.map(a => a.id)),
          },
        ],
      ],
      features: [module, mockServices.rootConfig.factory({ data: {} })],
    });
    expect(ids.sort()).toEqual([
      'open-amt:database:init',
      'open-amt:deployment:diff',
      'open-amt:deployment:render',
      'open-amt:deployment:upgrade',
      'open-amt:preflight',
      'open-amt:secrets:provision',
      'open-amt:secrets:rotate',
    ]);
  });
});
