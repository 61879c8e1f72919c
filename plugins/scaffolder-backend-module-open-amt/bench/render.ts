/**
 * npm run bench:render — renders, validates and checks behaviour conformance of every combination (6 databases ×
 * 3 stores × 5 gateways × 4 targets), timing each (render + all validators except docker-compose + the suite). docker-compose is sampled:
 * one compose combination per gateway (the compose file's shape depends on the gateway; database and
 * store only change env values), timed separately and not in the per-combination figures.
 * Run with: node -r sucrase/register bench/render.ts
 */
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { allCombinations, specFor } from '../src/__testUtils__/specs';
import { validateRenderedFiles } from '../src/__testUtils__/validators';
import {
  checkWithDockerCompose,
  dockerComposeAvailable,
} from '../src/__testUtils__/validators/dockerCompose';
import { startRunbook } from '../src/__testUtils__/conformance/runbook/harness';
import { renderDeployment } from '../src/render';
import {
  checkConformance,
  CONFORMANCE_RULES,
  RenderedOutput,
} from '../src/__testUtils__/conformance';

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Renders, validates and checks every combination of one release; prints its line. */
async function benchRelease(release: string) {
  const combos = allCombinations();
  const times: number[] = [];
  let invalid = 0;
  let artifacts = 0;
  let violations = 0;
  const started = performance.now();
  for (const c of combos) {
    const t0 = performance.now();
    const spec = parseDeploymentSpec({
      ...specFor(c),
      toolkitRelease: release,
    });
    const files = renderDeployment(spec);
    // One parse of the files serves the validators and the rules.
    const parsed = new RenderedOutput(spec, files);
    // The runbook harness's bash runs on the other core while the files are validated (as checkConformance does).
    startRunbook(parsed);
    const report = await validateRenderedFiles(spec, files, parsed);
    // The behaviour conformance suite is part of what each combination costs.
    const broken = checkConformance(spec, files, parsed);
    times.push(performance.now() - t0);
    violations += broken.length;
    for (const v of broken.slice(0, 3)) console.error(`${spec.name}: ${v}`);
    artifacts += report.artifacts;
    if (report.issues.length) {
      invalid++;
      console.error(`${spec.name}: ${report.issues.slice(0, 3).join('; ')}`);
    }
  }
  const total = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${release}: ${artifacts} artifacts validated`);
  return `render: ${combos.length} combinations, median ${percentile(
    sorted,
    50,
  ).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(
    1,
  )} ms, total ${total.toFixed(1)} s, invalid ${invalid}, rules ${
    CONFORMANCE_RULES.length
  }, violations ${violations}`;
}

async function main() {
  const combos = allCombinations();
  let invalid = 0;
  let composeNote = 'docker-compose not installed: skipped';
  if (dockerComposeAvailable() && !process.env.BENCH_SKIP_COMPOSE) {
    const sample = combos.filter(
      c =>
        c.target === 'compose' &&
        c.database === 'postgresql' &&
        c.secrets === 'vault',
    );
    const t0 = performance.now();
    for (const c of sample) {
      const spec = parseDeploymentSpec(specFor(c));
      const issues = checkWithDockerCompose(renderDeployment(spec));
      if (issues.length) {
        invalid++;
        console.error(`${spec.name}: ${issues.join('; ')}`);
      }
    }
    composeNote = `docker-compose config on ${
      sample.length
    } sampled compose combinations (one per gateway): ${(
      (performance.now() - t0) /
      1000
    ).toFixed(1)} s, invalid ${invalid}`;
  }
  console.log(composeNote);
  // Older releases first: the last line is the default (newest) release's.
  for (const release of [...TOOLKIT_RELEASE_IDS].reverse()) {
    const line = await benchRelease(release);
    console.log(
      release === TOOLKIT_RELEASE_IDS[0] ? line : `${release} ${line}`,
    );
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
