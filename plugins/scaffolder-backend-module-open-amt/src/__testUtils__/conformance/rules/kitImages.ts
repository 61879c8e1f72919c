import { releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import { isWorkload, RenderedOutput } from '../output';
import { runRunbook } from '../runbook/harness';
import type { ConformanceRule } from '../types';

type Service = 'mps' | 'rps';
type Kind = 'data' | 'secrets';

/**
 * The providers each upstream image has (src/data/*, src/secrets/* at the release tags: mps v2.13.21 and v2.34.1
 * data/mongo, data/postgres, secrets/vault; rps v2.22.14 and v2.39.4 data/postgres, secrets/vault).
 */
const UPSTREAM_PROVIDERS: Record<Service, Record<Kind, readonly string[]>> = {
  mps: { data: ['postgres', 'mongo'], secrets: ['vault'] },
  rps: { data: ['postgres'], secrets: ['vault'] },
};

/** The environment variable naming the provider each factory imports (upstream's rc keys, as MPS_/RPS_ env). */
const PROVIDER_ENV: Record<Kind, string> = {
  data: 'DB_PROVIDER',
  secrets: 'SECRETS_PROVIDER',
};

/** The image the deployment runs for a service: its compose service's, or its workload's first container's. */
function deployedImage(out: RenderedOutput, service: Service): unknown {
  const compose = out.composeServices();
  if (compose) return compose[service]?.image;
  return out
    .kubernetesObjects()
    .find(o => isWorkload(o) && o.metadata.name === service)?.spec?.template
    ?.spec?.containers?.[0]?.image;
}

interface Instruction {
  op: string;
  flags: Record<string, string>;
  args: string[];
}

function parseDockerfile(text: string): Instruction[] {
  return text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => {
      const [op, ...words] = l.split(/\s+/);
      const flags: Record<string, string> = {};
      const args: string[] = [];
      for (const w of words) {
        const flag = /^--([a-z-]+)=(.*)$/.exec(w);
        if (flag && args.length === 0) flags[flag[1]] = flag[2];
        else args.push(w);
      }
      return { op: op.toUpperCase(), flags, args };
    });
}

/** The bundle files the repository holds (images/bundles.json, which the render action fills from the kit). */
function manifestPaths(out: RenderedOutput): Set<string> {
  const manifest = out.yaml('images/bundles.json')[0] as
    | { bundles?: { path: string }[] }
    | undefined;
  return new Set((manifest?.bundles ?? []).map(b => b.path));
}

/** Every `uses:` of a workflow, with where it is. */
function workflowUses(doc: any): string[] {
  return Object.values<any>(doc?.jobs ?? {}).flatMap(job =>
    (job.steps ?? []).map((s: any) => s.uses).filter(Boolean),
  );
}

export const kitImagesRule: ConformanceRule = {
  id: 'images.kit-bundles',
  fact:
    'MPS and RPS load a provider with `import(../data/<db_provider>/index.js)` / `import(../secrets/<secrets_provider>' +
    '/index.js)` from dist/factories of the folder the image runs (/mps, /rps), as the user the image sets (node). ' +
    'A service whose provider the upstream image lacks must run an image that adds it: built FROM the release image, ' +
    'pinned, copying each bundle to <app folder>/dist/<kind>/<name>/index.js, where <name> is the ' +
    '*_DB_PROVIDER / *_SECRETS_PROVIDER value the deployment sets, from a file the repository holds, readable and not ' +
    'writable by that user, keeping the user; the deployment runs exactly the image the build script and the ' +
    'workflow push, and the workflow uses actions pinned to commits.',
  source:
    'mps Dockerfile:32,38,43 and src/factories/DbCreatorFactory.ts:13-14, SecretManagerCreatorFactory.ts:15-16 at ' +
    'v2.13.21 and v2.34.1; rps Dockerfile:33,39,44 and the same factory lines at v2.22.14 and v2.39.4 (COPY to ' +
    '/<svc>/dist, USER node, CMD node /<svc>/dist/index.js; tsconfig outDir ./dist); src/data and src/secrets at ' +
    'those tags for the providers upstream has; Dockerfile reference (COPY --chown/--chmod, USER); GitHub ' +
    '"Security hardening for GitHub Actions" (pin actions to a full-length commit SHA)',
  check(out) {
    const violations: string[] = [];
    const release = releaseOf(out.spec);
    const bundles = manifestPaths(out);
    const workflow = out.yaml('.github/workflows/build-images.yaml')[0];
    const workflowImages = new Map<string, string>(
      Object.values<any>(workflow?.jobs ?? {})
        .flatMap(j => j.strategy?.matrix?.include ?? [])
        .map((i: any) => [i.service, i.image]),
    );
    for (const ref of workflowUses(workflow))
      if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(ref))
        violations.push(
          `.github/workflows/build-images.yaml uses ${ref}, not pinned to a commit`,
        );
    let pushed: string[] | undefined;
    for (const service of ['mps', 'rps'] as const) {
      const env = out.containerEnv(service);
      const prefix = service.toUpperCase();
      const needed = (['data', 'secrets'] as const)
        .map(kind => ({ kind, name: env[`${prefix}_${PROVIDER_ENV[kind]}`] }))
        .filter(
          (p): p is { kind: Kind; name: string } =>
            typeof p.name === 'string' &&
            !UPSTREAM_PROVIDERS[service][p.kind].includes(p.name),
        );
      if (needed.length === 0) continue;
      const component = release.components[service];
      const image = deployedImage(out, service);
      const where = `images/${service}/Dockerfile`;
      const dockerfile = out.file(where);
      const names = needed.map(p => `${p.kind}/${p.name}`).join(', ');
      if (!dockerfile) {
        if (image === component.image)
          violations.push(
            `${service} runs the upstream ${component.image}, which has no ${names} provider, and the repository builds no image for it`,
          );
        // Otherwise the operator's own image: nothing here to check.
        continue;
      }
      const instructions = parseDockerfile(dockerfile);
      const from = instructions.find(i => i.op === 'FROM');
      if (from?.args[0] !== component.image)
        violations.push(
          `${where}: FROM ${from?.args[0]} is not the release's pinned ${component.image}`,
        );
      const user = [...instructions].reverse().find(i => i.op === 'USER');
      if (
        user &&
        user.args[0] !== component.user.name &&
        user.args[0] !== String(component.user.uid)
      )
        violations.push(
          `${where}: USER ${user.args[0]} is not the image's ${component.user.name} (uid ${component.user.uid})`,
        );
      const copies = instructions.filter(i => ['COPY', 'ADD'].includes(i.op));
      for (const { kind, name } of needed) {
        const dest = `${component.appDir}/dist/${kind}/${name}/index.js`;
        const copy = copies.find(c => c.args[c.args.length - 1] === dest);
        if (!copy) {
          violations.push(
            `${where}: nothing is copied to ${dest}, where ${service}'s factory imports the ${kind} provider ${name} (${prefix}_${PROVIDER_ENV[kind]})`,
          );
          continue;
        }
        const source = `images/${service}/${copy.args[0]}`;
        if (!bundles.has(source))
          violations.push(
            `${where}: copies ${copy.args[0]} to ${dest}, but the repository holds no such bundle (images/bundles.json)`,
          );
        const owner = copy.flags.chown ?? '0';
        const mode = copy.flags.chmod;
        const ownerReads =
          !mode || (/^0?[0-7]{3}$/.test(mode) && Number(mode.slice(-1)) & 4);
        if (!/^(0|root)(:(0|root))?$/.test(owner) || !ownerReads)
          violations.push(
            `${where}: ${dest} must be owned by root and readable by ${component.user.name} (--chown=${owner} --chmod=${mode})`,
          );
        else if (mode && Number(mode.slice(-1)) & 2)
          violations.push(
            `${where}: ${dest} is writable by ${component.user.name} (--chmod=${mode})`,
          );
      }
      if (workflowImages.get(service) !== image)
        violations.push(
          `${service} runs ${image}, but .github/workflows/build-images.yaml pushes ${
            workflowImages.get(service) ?? 'no image'
          } for it`,
        );
      if (out.file('README.md')) {
        pushed ??= runRunbook(out).pushed;
        if (!pushed.includes(String(image)))
          violations.push(
            `${service} runs ${image}, which no runbook step pushes (scripts/build-images.sh pushes ${
              pushed.join(', ') || 'nothing'
            })`,
          );
      }
    }
    return violations;
  },
};
