/**
 * kubernetesObjects() (the kustomize model) against the real `kubectl kustomize` (kustomize v5, what
 * `kubectl apply -k` builds) on every gateway × store × Kubernetes target, databases in turn.
 */
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { spawn } from 'child_process';
import { loadAll } from 'js-yaml';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderDeployment } from '../../render';
import { allCombinations, specFor } from '../specs';
import { KUBECTL, requireKubectl } from '../validators/kubectlKustomize';
import { writeRenderedFiles } from '../validators/renderedTree';
import { inject } from './fixtures';
import { RenderedOutput } from './output';

const HAVE_TOOL = requireKubectl();

async function kubectlKustomize(out: RenderedOutput): Promise<any[]> {
  const dir = mkdtempSync(join(tmpdir(), 'open-amt-kustomize-model-'));
  try {
    writeRenderedFiles(
      dir,
      out.files.filter(x => x.path.startsWith('kubernetes/')),
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await new Promise<number | null>(res => {
      const p = spawn(KUBECTL, ['kustomize', join(dir, 'kubernetes')]);
      p.stdout.on('data', d => stdout.push(String(d)));
      p.stderr.on('data', d => stderr.push(String(d)));
      p.on('close', res);
    });
    if (code !== 0) throw new Error(stderr.join(''));
    return loadAll(stdout.join('')).filter(Boolean) as any[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const key = (o: any) =>
  `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? '-'}/${
    o.metadata?.name
  }`;
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );

/** Objects that differ between the model and kubectl (order aside: kustomize sorts by kind). */
async function differences(name: string, out: RenderedOutput) {
  const real = new Map((await kubectlKustomize(out)).map(o => [key(o), o]));
  const model = new Map(out.kubernetesObjects().map(o => [key(o), o]));
  const diffs: string[] = [];
  for (const k of new Set([...real.keys(), ...model.keys()]))
    if (canonical(real.get(k)) !== canonical(model.get(k)))
      diffs.push(
        `${name} ${k}: model ${canonical(model.get(k))} vs kubectl ${canonical(
          real.get(k),
        )}`,
      );
  return diffs;
}

async function compareAll(sets: Array<{ name: string; out: RenderedOutput }>) {
  const diffs: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sets.length) {
      const { name, out } = sets[next++];
      diffs.push(...(await differences(name, out)));
    }
  };
  // Two at a time: the machine is shared.
  await Promise.all([worker(), worker()]);
  return diffs;
}

describe('kubernetesObjects() equals `kubectl kustomize kubernetes/`', () => {
  it('on every gateway × store × Kubernetes target (databases and releases in turn)', async () => {
    if (!HAVE_TOOL) return;
    const groups = new Map<string, ReturnType<typeof allCombinations>>();
    for (const c of allCombinations().filter(x => x.target !== 'compose')) {
      const g = `${c.gateway}/${c.secrets}/${c.target}`;
      groups.set(g, [...(groups.get(g) ?? []), c]);
    }
    const sets = [...groups.values()].map((members, k) => {
      const c = members[k % members.length];
      const spec = parseDeploymentSpec({
        ...specFor(c),
        toolkitRelease: TOOLKIT_RELEASE_IDS[k % TOOLKIT_RELEASE_IDS.length],
      });
      return {
        name: spec.name,
        out: new RenderedOutput(spec, renderDeployment(spec)),
      };
    });
    expect(sets).toHaveLength(45);
    expect(await compareAll(sets)).toEqual([]);
  }, 300_000);

  it('on objects without a namespace or with another one (kustomize sets it)', async () => {
    if (!HAVE_TOOL) return;
    const spec = parseDeploymentSpec(
      specFor({
        database: 'postgresql',
        secrets: 'vault',
        gateway: 'kong',
        target: 'kubernetes',
      }),
    );
    const out = new RenderedOutput(spec, renderDeployment(spec));
    const moved = inject(
      inject(
        out,
        'kubernetes/mps.yaml',
        /namespace: open-amt/,
        'namespace: other',
      ),
      'kubernetes/rps.yaml',
      /\n {2}namespace: open-amt/,
      '',
    );
    expect(
      moved
        .kubernetesObjects()
        .filter(o => ['mps', 'rps'].includes(o.metadata.name))
        .map(o => o.metadata.namespace),
    ).toEqual(expect.not.arrayContaining(['other', undefined]));
    expect(moved.file('kubernetes/mps.yaml')).toMatch(/namespace: other/);
    expect(await compareAll([{ name: 'moved', out: moved }])).toEqual([]);
  }, 60_000);

  it('a kustomization field the model does not know is refused, not ignored', () => {
    const spec = parseDeploymentSpec(
      specFor({
        database: 'postgresql',
        secrets: 'vault',
        gateway: 'kong',
        target: 'kubernetes',
      }),
    );
    const out = inject(
      new RenderedOutput(spec, renderDeployment(spec)),
      'kubernetes/kustomization.yaml',
      'resources:',
      'commonLabels:\n  team: amt\nresources:',
    );
    expect(() => out.kubernetesObjects()).toThrow(/commonLabels not modelled/);
  });
});
