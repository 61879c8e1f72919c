import { runRunbook } from '../runbook/harness';
import { externalSecretReads } from '../runbook/externalSecretReads';
import { startRequirements } from '../runbook/startRequirements';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const short = (text: string) =>
  text.length > 70 ? `${text.slice(0, 70)}…` : text;

export const runbookRunsRule: ConformanceRule = {
  id: 'runbook.runs-in-order',
  fact:
    "The runbook is a program: README.md's steps, run in order with their sh blocks verbatim in real bash (the " +
    'generated scripts included) against recording stand-ins of vault, az, aws, kubectl and docker-compose, complete; ' +
    'every entry a step reads exists when it runs (a read of an absent entry fails as the real CLI does, aborting a ' +
    'script under set -e), every env file and bind-mount source exists at `docker-compose up`, and every entry an ' +
    'ExternalSecret reads, or a container reads at start (ESPv2: its service), exists when `kubectl apply -k` runs.',
  source:
    'issue 18 class 2 (step 4 ran resolve-secrets.sh, which read an entry step 6 stores); real bash running the ' +
    "generated scripts; the CLIs' documented not-found behaviour (not verified here: only a non-zero exit is " +
    'relied on): `vault kv get` "No value found at <mount>/data/<path>" exit 2, `az keyvault secret show` ' +
    '(SecretNotFound) exit 1, `aws secretsmanager get-secret-value` ResourceNotFoundException exit 254; ' +
    'docker-compose 1.29 "Couldn\'t find env file" (compose/config/environment.py env_vars_from_file); ESPv2 v2.51.0 ' +
    'src/go/configmanager/config_manager.go:174-183 (managed rollout: no rollout, no start)',
  check(out: RenderedOutput) {
    if (!out.file('README.md')) return [];
    const run = runRunbook(out);
    const violations: string[] = [];
    const text = (n: number) =>
      short(run.steps.find(s => s.number === n)?.text ?? '');
    if (run.failed) {
      const said = run.failed.stderr.split('\n').slice(-2).join(' / ');
      violations.push(
        `README.md step ${run.failed.step} ("${text(
          run.failed.step,
        )}") fails: ${said || 'a command exits non-zero'}`,
      );
    }
    for (const call of run.unmodelled)
      violations.push(
        `README.md runs \`${short(
          call,
        )}\`, which the runbook harness's stand-ins do not model (extend standins.sh)`,
      );
    // Every read of an absent entry, even one the script survives (a read inside a here-string does not stop set -e).
    for (const m of run.misses) {
      const later = run.writes.get(m.key)?.find(step => step > m.step);
      violations.push(
        `README.md step ${m.step} reads ${m.key}, which ${
          later ? `step ${later} stores only later` : 'no earlier step stores'
        }`,
      );
    }
    if (run.appliedWith) {
      // What a container reads at start (compose: the docker-compose stand-in refuses to start without it).
      for (const need of startRequirements(out)) {
        if (run.appliedWith.has(need.key)) continue;
        const later = run.writes.get(need.key);
        violations.push(
          `${need.where}: ${need.why}, and ${
            need.key
          } does not exist when \`kubectl apply -k\` runs${
            later ? ` (step ${later[0]} makes it only later)` : ''
          }`,
        );
      }
      for (const read of externalSecretReads(out)) {
        const later = run.writes.get(read.key);
        // Never written at all is a naming defect: rule names.end-to-end reports it.
        if (run.appliedWith.has(read.key) || !later) continue;
        violations.push(
          `ExternalSecret ${read.externalSecret} reads ${read.key}, which the store does not hold when \`kubectl apply -k\` runs (step ${later[0]} stores it later)`,
        );
      }
    }
    return violations;
  },
};
