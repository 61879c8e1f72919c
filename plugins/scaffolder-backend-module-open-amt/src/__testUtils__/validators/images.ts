import { isPinnedImage } from '@open-amt-backstage/plugin-open-amt-common';

const INSTRUCTIONS = new Set([
  'FROM',
  'COPY',
  'ADD',
  'RUN',
  'USER',
  'ENV',
  'ARG',
  'LABEL',
  'WORKDIR',
  'EXPOSE',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'VOLUME',
  'ONBUILD',
]);

/** A Dockerfile: known instructions only, FROM first and pinned (Dockerfile reference: FROM must come first). */
export function checkDockerfile(text: string): string[] {
  const issues: string[] = [];
  const lines = text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  const [first, image] = (lines[0] ?? '').split(/\s+/);
  if (first !== 'FROM') issues.push('the first instruction is not FROM');
  else if (!isPinnedImage(image ?? ''))
    issues.push(`FROM ${image} is not pinned`);
  for (const l of lines) {
    const op = l.split(/\s+/)[0];
    if (!INSTRUCTIONS.has(op)) issues.push(`unknown instruction ${op}`);
  }
  return issues;
}

/** A GitHub Actions workflow: triggers, jobs with a runner and steps, permissions declared, actions pinned to commits. */
export function checkWorkflow(doc: any): string[] {
  const issues: string[] = [];
  if (!doc?.on) issues.push('no triggers (on)');
  if (!doc?.permissions) issues.push('no top-level permissions');
  const jobs = Object.entries<any>(doc?.jobs ?? {});
  if (jobs.length === 0) issues.push('no jobs');
  for (const [id, job] of jobs) {
    if (!job['runs-on']) issues.push(`jobs.${id}: no runs-on`);
    if (!Array.isArray(job.steps) || job.steps.length === 0)
      issues.push(`jobs.${id}: no steps`);
    for (const step of job.steps ?? []) {
      if (!step.uses === !step.run)
        issues.push(`jobs.${id}: a step must have exactly one of uses and run`);
      if (step.uses && !/@[0-9a-f]{40}$/.test(step.uses))
        issues.push(`jobs.${id}: ${step.uses} is not pinned to a commit`);
    }
  }
  return issues;
}

/** images/bundles.json: the kit's version and each bundle under its service's build context. */
export function checkBundlesManifest(doc: any): string[] {
  const issues: string[] = [];
  if (typeof doc?.kit !== 'string') issues.push('no kit version');
  if (!Array.isArray(doc?.bundles) || doc.bundles.length === 0)
    return [...issues, 'no bundles'];
  for (const b of doc.bundles)
    if (b.path !== `images/${b.service}/dist/${b.kind}/${b.name}/index.js`)
      issues.push(
        `bundle ${JSON.stringify(
          b,
        )} is not at images/<service>/dist/<kind>/<name>/index.js`,
      );
  return issues;
}
