/**
 * open-amt:deployment:diff against Systems the real renderer wrote (their catalog-info.yaml, recorded spec and all):
 * what a change alters, the fields it refuses (each named, with why), and the Systems it cannot start from.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentSpecInput,
  OPEN_AMT_ANNOTATIONS,
  parseDeploymentSpec,
  recordedSpecOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import { parseAllDocuments } from 'yaml';
import { actionContext } from '../../__testUtils__/actionContext';
import { allCombinations, specFor } from '../../__testUtils__/specs';
import { renderDeployment } from '../../render';
import { createDiffDeploymentAction } from './diff';
import { IMMUTABLE_FIELDS } from './immutableFields';
import { SPEC_FIELD_LABELS } from '../specInput';

const base = specFor(allCombinations().find(c => c.target === 'kubernetes')!, {
  name: 'factory-east',
});
const ref = 'system:default/factory-east';

/** The System entity the renderer writes for this spec, as the catalog would hold it. */
function systemFor(spec: DeploymentSpecInput) {
  const files = renderDeployment(parseDeploymentSpec(spec));
  const catalogInfo = files.find(f => f.path === 'catalog-info.yaml')!;
  return parseAllDocuments(String(catalogInfo.content))
    .map(d => d.toJS())
    .find(e => e.kind === 'System');
}

const recorded = () => recordedSpecOf(systemFor(base));

async function run(
  spec: Record<string, unknown>,
  options: { entities?: any[]; changeOf?: string; isDryRun?: boolean } = {},
) {
  const action = createDiffDeploymentAction({
    catalog: catalogServiceMock({
      entities: options.entities ?? [systemFor(base)],
    }),
    auth: mockServices.auth(),
  });
  const { ctx, outputs } = actionContext({
    input: { changeOf: options.changeOf ?? ref, spec },
    isDryRun: options.isDryRun,
  });
  await action.handler(ctx as any);
  return outputs as Record<string, any>;
}

describe('open-amt:deployment:diff', () => {
  it('lists the files a replica change alters, with patches and a pull request description', async () => {
    const outputs = await run({
      ...recorded(),
      replicas: { ...(recorded().replicas as object), mps: 4 },
    });
    expect(outputs.fields).toEqual(['replicas.mps']);
    expect(outputs.files.length).toBeGreaterThan(0);
    expect(outputs.files.every((f: any) => f.kind === 'changed')).toBe(true);
    expect(outputs.summary).toEqual(
      outputs.files.map((f: any) => `changed ${f.path}`),
    );
    expect(outputs.patch).toMatch(/^-.*replicas: 2$/m);
    expect(outputs.patch).toMatch(/^\+.*replicas: 4$/m);
    expect(outputs.markdown).toContain('- `replicas.mps`: `2` → `4`');
    expect(outputs.markdown).toContain('```diff');
  });

  it('says the same in a dry run, which only reads', async () => {
    const spec = {
      ...recorded(),
      gateway: { provider: 'tyk', publicHost: 'amt.example.com' },
    };
    const real = await run(spec);
    const dry = await run(spec, { isDryRun: true });
    expect(dry).toEqual(real);
    // A gateway is replaced in place: its files change, nothing is refused.
    expect(real.fields).toContain('gateway.provider');
    expect(real.summary.some((l: string) => l.startsWith('added '))).toBe(true);
  });

  const changes: [string, (s: any) => void][] = [
    ['name', s => (s.name = 'factory-west')],
    ['target', s => (s.target = 'compose')],
    ['namespace', s => (s.namespace = 'amt-2')],
    ['fqdn', s => (s.fqdn = 'mps2.example.com')],
    ['toolkitRelease', s => (s.toolkitRelease = 'v2.26.0')],
    ['jwtIssuer', s => (s.jwtIssuer = 'another-issuer-1')],
    ['database.provider', s => (s.database.provider = 'azure-postgresql')],
    ['database.mpsDatabase', s => (s.database.mpsDatabase = 'mps2')],
    ['database.rpsDatabase', s => (s.database.rpsDatabase = 'rps2')],
    ['secrets.pathPrefix', s => (s.secrets.pathPrefix = 'amt-2')],
  ];

  it.each(changes)(
    'refuses a change of %s in place, naming the field and why',
    async (path, change) => {
      const spec = structuredClone(recorded()) as any;
      if (path === 'database.provider') spec.database.caCertSecret = 'db-ca';
      change(spec);
      const failure = run(spec);
      await expect(failure).rejects.toThrow(InputError);
      const rule = IMMUTABLE_FIELDS.find(
        r => path === r.path || path.startsWith(`${r.path}.`),
      )!;
      await expect(failure).rejects.toThrow(
        `spec.${path}${
          SPEC_FIELD_LABELS[path] ? ')' : ''
        } cannot change in place`,
      );
      await expect(failure).rejects.toThrow(rule.why);
    },
  );

  it('names every refused field at once', async () => {
    const spec = { ...recorded(), fqdn: 'mps2.example.com', target: 'eks' };
    await expect(run(spec)).rejects.toThrow(
      /MPS FQDN \(spec\.fqdn\) cannot change in place: .*; Target \(spec\.target\) cannot change in place/,
    );
  });

  it('refuses a change that changes nothing', async () => {
    await expect(run(recorded())).rejects.toThrow(
      "Nothing to change: the form renders factory-east's repository as it is (nothing was provisioned).",
    );
  });

  it('refuses a System it cannot start from: missing, without a recorded spec, or not a System', async () => {
    await expect(run(recorded(), { entities: [] })).rejects.toThrow(
      'changeOf: the catalog has no system:default/factory-east to change',
    );
    const unrecorded = systemFor(base);
    delete unrecorded.metadata.annotations[OPEN_AMT_ANNOTATIONS.deploymentSpec];
    await expect(run(recorded(), { entities: [unrecorded] })).rejects.toThrow(
      `factory-east has no ${OPEN_AMT_ANNOTATIONS.deploymentSpec} annotation`,
    );
    await expect(
      run(recorded(), { changeOf: 'component:default/factory-east' }),
    ).rejects.toThrow('changeOf must name a System');
  });
});
