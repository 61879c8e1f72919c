import { isWorkload } from '../output';
import { chosenProviderInfos } from '../../../render/providers';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const RUNBOOK = 'README.md';
const REPOSITORY_PATH =
  /^(?:kubernetes|gateway|secrets-store|database|scripts|env|secrets)\/[^\s`*<>]*$|^docker-compose\.yml$/;

/** Instances each service really runs: one container per service in compose, the Deployment's replicas in Kubernetes. */
function running(out: RenderedOutput, service: string): number | undefined {
  const compose = out.composeServices();
  if (compose) return compose[service] ? 1 : undefined;
  return out
    .kubernetesObjects()
    .find(o => isWorkload(o) && o.metadata.name === service)?.spec?.replicas;
}

export const runbookTruthRule: ConformanceRule = {
  id: 'runbook.truth',
  fact:
    'An operator follows the runbook literally: every instance count it states is what the files run, and every ' +
    'file or folder it names exists in the repository (or, under secrets/, is written by scripts/resolve-secrets.sh).',
  source:
    'issue 12 (runbook contradicted the files: "MPS × 2" on compose, "run database/postgres/*.sql", "run MPS with one replica" rendering 2)',
  check(out) {
    const runbook = out.file(RUNBOOK);
    if (!runbook) return [];
    const violations: string[] = [];
    for (const [, service, count] of runbook.matchAll(
      /^- (mps|rps|mpsrouter|webui): `[^`]+` × (\d+)/gm,
    )) {
      const actual = running(out, service);
      if (actual !== undefined && actual !== Number(count))
        violations.push(
          `${RUNBOOK}: says ${service} × ${count}, the files run ${actual}`,
        );
    }
    // Honesty: every chosen provider's vendor limitation is stated.
    for (const provider of chosenProviderInfos(out.spec)) {
      if (provider.limitation && !runbook.includes(provider.limitation))
        violations.push(
          `${RUNBOOK}: does not state the limitation of ${provider.label}`,
        );
    }
    const resolve = out.file('scripts/resolve-secrets.sh') ?? '';
    const paths = new Set(
      [...runbook.matchAll(/`([^`\s]+)`/g)]
        .map(m => m[1])
        .filter(p => REPOSITORY_PATH.test(p)),
    );
    for (const path of paths) {
      if (path.startsWith('secrets/')) {
        if (!resolve.includes(path.replace(/\/$/, '')))
          violations.push(
            `${RUNBOOK}: names ${path}, which scripts/resolve-secrets.sh never writes`,
          );
      } else if (
        !out.files.some(
          f =>
            f.path === path ||
            f.path.startsWith(path.endsWith('/') ? path : `${path}/`),
        )
      ) {
        violations.push(
          `${RUNBOOK}: names ${path}, which is not in the repository`,
        );
      }
    }
    return violations;
  },
};
