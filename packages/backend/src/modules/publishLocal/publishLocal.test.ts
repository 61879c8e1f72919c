import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { recordingAuditor } from '@open-amt-backstage/plugin-open-amt-test-utils';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import publishLocalModule from '.';
import { createPublishLocalAction } from './publishLocal';

/** A mock action context whose outputs are collected into an object. */
function actionContext(options: {
  input: Record<string, unknown>;
  workspacePath?: string;
}) {
  const outputs: Record<string, unknown> = {};
  const ctx = createMockActionContext({
    input: options.input as any,
    workspacePath: options.workspacePath ?? createMockDirectory().path,
  });
  ctx.output = ((name: string, value: unknown) => {
    outputs[name] = value;
  }) as any;
  return { ctx, outputs };
}

/** What the render action leaves in the workspace, in short. */
const renderedWorkspace = {
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: amt-local\n',
  'scripts/resolve-secrets.sh': '#!/bin/sh\n',
};

describe('open-amt:publish:local', () => {
  it('copies the rendered workspace to <localPublishDir>/<name>, refusing to clobber without overwrite', async () => {
    const target = createMockDirectory();
    const workspace = createMockDirectory({ content: renderedWorkspace });
    const action = createPublishLocalAction({
      config: new ConfigReader({
        openAmt: { scaffolder: { localPublishDir: target.path } },
      }),
    });
    const run = actionContext({
      input: { name: 'amt-local' },
      workspacePath: workspace.path,
    });
    await action.handler(run.ctx as any);
    expect(run.outputs.catalogInfoPath).toBe(
      join(target.path, 'amt-local', 'catalog-info.yaml'),
    );
    expect(
      readFileSync(run.outputs.catalogInfoPath as string, 'utf8'),
    ).toContain('kind: System');
    expect(
      existsSync(join(target.path, 'amt-local', 'scripts/resolve-secrets.sh')),
    ).toBe(true);

    await expect(
      action.handler(
        actionContext({
          input: { name: 'amt-local' },
          workspacePath: workspace.path,
        }).ctx as any,
      ),
    ).rejects.toThrow(/already exists/);
    await action.handler(
      actionContext({
        input: { name: 'amt-local', overwrite: true },
        workspacePath: workspace.path,
      }).ctx as any,
    );
  });

  it('replaces an existing folder whole, and leaves it as it was when the copy fails', async () => {
    const target = createMockDirectory({
      content: {
        'amt-local/catalog-info.yaml': 'old\n',
        'amt-local/gateway/kong.yaml': 'dropped by the new render\n',
      },
    });
    const workspace = createMockDirectory({ content: renderedWorkspace });
    const action = createPublishLocalAction({
      config: new ConfigReader({
        openAmt: { scaffolder: { localPublishDir: target.path } },
      }),
    });
    // A copy that fails (the source folder is not there): the published folder is untouched, nothing staged left.
    await expect(
      action.handler(
        actionContext({
          input: { name: 'amt-local', overwrite: true, sourcePath: 'missing' },
          workspacePath: workspace.path,
        }).ctx as any,
      ),
    ).rejects.toThrow(/ENOENT/);
    expect(
      readFileSync(join(target.path, 'amt-local/catalog-info.yaml'), 'utf8'),
    ).toBe('old\n');
    expect(readdirSync(target.path)).toEqual(['amt-local']);
    await action.handler(
      actionContext({
        input: { name: 'amt-local', overwrite: true },
        workspacePath: workspace.path,
      }).ctx as any,
    );
    expect(
      readFileSync(join(target.path, 'amt-local/catalog-info.yaml'), 'utf8'),
    ).toContain('kind: System');
    expect(existsSync(join(target.path, 'amt-local/gateway/kong.yaml'))).toBe(
      false,
    );
    expect(readdirSync(target.path)).toEqual(['amt-local']);
  });

  it('audits each publish (who, which deployment, where), and a refused clobber not at all', async () => {
    const target = createMockDirectory();
    const workspace = createMockDirectory({
      content: { 'catalog-info.yaml': 'kind: System' },
    });
    const { auditor, events } = recordingAuditor();
    const action = createPublishLocalAction({
      config: new ConfigReader({
        openAmt: { scaffolder: { localPublishDir: target.path } },
      }),
      auditor,
    });
    const run = (input: Record<string, unknown>) =>
      action.handler({
        ...actionContext({ input, workspacePath: workspace.path }).ctx,
        user: { ref: 'user:default/alice' },
      } as any);
    await run({ name: 'amt-audited' });
    await expect(run({ name: 'amt-audited' })).rejects.toThrow(
      /already exists/,
    );
    await run({ name: 'amt-audited', overwrite: true });
    const dest = join(target.path, 'amt-audited');
    expect(events).toEqual([
      {
        options: {
          eventId: 'render-publish',
          severityLevel: 'medium',
          meta: {
            deployment: 'amt-audited',
            path: dest,
            overwrite: false,
            actor: 'user:default/alice',
          },
        },
        outcome: { type: 'success', meta: { published: dest } },
      },
      {
        options: expect.objectContaining({
          meta: expect.objectContaining({ overwrite: true }),
        }),
        outcome: { type: 'success', meta: { published: dest } },
      },
    ]);
  });

  it('needs openAmt.scaffolder.localPublishDir and a safe name', async () => {
    const unconfigured = createPublishLocalAction({
      config: new ConfigReader({}),
    });
    await expect(
      unconfigured.handler(actionContext({ input: { name: 'x' } }).ctx as any),
    ).rejects.toThrow(/localPublishDir/);
    const configured = createPublishLocalAction({
      config: new ConfigReader({
        openAmt: {
          scaffolder: { localPublishDir: createMockDirectory().path },
        },
      }),
    });
    await expect(
      configured.handler(
        actionContext({ input: { name: '../escape' } }).ctx as any,
      ),
    ).rejects.toThrow(/lowercase/);
  });
});

describe("the demo portal's publish module", () => {
  it('registers open-amt:publish:local with the scaffolder', async () => {
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
      features: [
        publishLocalModule,
        mockServices.rootConfig.factory({
          data: { openAmt: { scaffolder: { localPublishDir: '/tmp/x' } } },
        }),
      ],
    });
    expect(ids).toEqual(['open-amt:publish:local']);
  });
});
