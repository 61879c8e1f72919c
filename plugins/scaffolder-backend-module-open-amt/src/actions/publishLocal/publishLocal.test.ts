import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { actionContext } from '../../__testUtils__/actionContext';
import { recordingAuditor } from '@open-amt-backstage/plugin-open-amt-test-utils';
import { specFor } from '../../__testUtils__/specs';
import { createRenderDeploymentAction } from '../render/render';
import { createPublishLocalAction } from './publishLocal';

describe('open-amt:publish:local', () => {
  it('copies the rendered workspace to <localPublishDir>/<name>, refusing to clobber without overwrite', async () => {
    const target = createMockDirectory();
    const workspace = createMockDirectory();
    const spec = specFor({ database: 'postgresql', secrets: 'vault', gateway: 'kong', target: 'compose' }, { name: 'amt-local' });
    await createRenderDeploymentAction().handler(actionContext({ input: { spec }, workspacePath: workspace.path }).ctx as any);

    const action = createPublishLocalAction({ config: new ConfigReader({ openAmt: { scaffolder: { localPublishDir: target.path } } }) });
    const run = actionContext({ input: { name: 'amt-local' }, workspacePath: workspace.path });
    await action.handler(run.ctx as any);
    expect(run.outputs.catalogInfoPath).toBe(join(target.path, 'amt-local', 'catalog-info.yaml'));
    expect(readFileSync(run.outputs.catalogInfoPath as string, 'utf8')).toContain('kind: System');
    expect(existsSync(join(target.path, 'amt-local', 'scripts/resolve-secrets.sh'))).toBe(true);

    await expect(action.handler(actionContext({ input: { name: 'amt-local' }, workspacePath: workspace.path }).ctx as any)).rejects.toThrow(/already exists/);
    await action.handler(actionContext({ input: { name: 'amt-local', overwrite: true }, workspacePath: workspace.path }).ctx as any);
  });

  it('audits each publish (who, which deployment, where), and a refused clobber not at all', async () => {
    const target = createMockDirectory();
    const workspace = createMockDirectory({ content: { 'catalog-info.yaml': 'kind: System' } });
    const { auditor, events } = recordingAuditor();
    const action = createPublishLocalAction({ config: new ConfigReader({ openAmt: { scaffolder: { localPublishDir: target.path } } }), auditor });
    const run = (input: Record<string, unknown>) =>
      action.handler({ ...actionContext({ input, workspacePath: workspace.path }).ctx, user: { ref: 'user:default/alice' } } as any);
    await run({ name: 'amt-audited' });
    await expect(run({ name: 'amt-audited' })).rejects.toThrow(/already exists/);
    await run({ name: 'amt-audited', overwrite: true });
    const dest = join(target.path, 'amt-audited');
    expect(events).toEqual([
      {
        options: {
          eventId: 'render-publish',
          severityLevel: 'medium',
          meta: { deployment: 'amt-audited', path: dest, overwrite: false, actor: 'user:default/alice' },
        },
        outcome: { type: 'success', meta: { published: dest } },
      },
      {
        options: expect.objectContaining({ meta: expect.objectContaining({ overwrite: true }) }),
        outcome: { type: 'success', meta: { published: dest } },
      },
    ]);
  });

  it('needs openAmt.scaffolder.localPublishDir and a safe name', async () => {
    const unconfigured = createPublishLocalAction({ config: new ConfigReader({}) });
    await expect(unconfigured.handler(actionContext({ input: { name: 'x' } }).ctx as any)).rejects.toThrow(/localPublishDir/);
    const configured = createPublishLocalAction({ config: new ConfigReader({ openAmt: { scaffolder: { localPublishDir: createMockDirectory().path } } }) });
    await expect(configured.handler(actionContext({ input: { name: '../escape' } }).ctx as any)).rejects.toThrow(/lowercase/);
  });
});
