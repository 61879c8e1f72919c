/**
 * The runbook harness and its three rules: each rule fails on the defect it guards (injected into a rendered
 * output), the jq model agrees with the real jq on the generated scripts, the stand-in's docker-compose check is what
 * docker-compose 1.29 does, and the naming cases the example specs do not reach (a prefix with a trailing slash,
 * an operator's entry name Key Vault refuses) hold end to end.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DeploymentSpecInput,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import { renderDeployment } from '../../../render';
import { Combination, specFor } from '../../specs';
import {
  DOCKER_COMPOSE,
  requireDockerCompose,
} from '../../validators/dockerCompose';
import { inject, rendered } from '../fixtures';
import { RenderedOutput } from '../output';
import { containerReadableRule } from '../rules/containerReadable';
import { entryNamesRule } from '../rules/entryNames';
import { runbookRunsRule } from '../rules/runbookRuns';
import { runRunbook, startRunbook, storeKeyOfRef } from './harness';
import { mayRead } from './containerUsers';

jest.setTimeout(60_000);

const RULES = [runbookRunsRule, entryNamesRule, containerReadableRule];
const check = (out: RenderedOutput) =>
  RULES.flatMap(r => r.check(out).map(v => `[${r.id}] ${v}`));

// Combinations with every input kind: an operator CA entry (azure-postgresql), the gateway's own certificate (Kong,
// Tyk), each store, compose and Kubernetes.
const combo = (
  secrets: Combination['secrets'],
  gateway: Combination['gateway'],
  target: Combination['target'],
): Combination => ({ database: 'azure-postgresql', secrets, gateway, target });
const VAULT_KONG_COMPOSE = rendered(combo('vault', 'kong', 'compose'));
const KV_KONG_AKS = rendered(combo('azure-key-vault', 'kong', 'aks'));
const AWS_TYK_COMPOSE = rendered(combo('aws-kms', 'tyk', 'compose'));

/** README.md with step `from`'s text and commands moved to after step `after` (numbers rewritten in order). */
function moveStep(out: RenderedOutput, match: RegExp, after: RegExp) {
  const readme = out.file('README.md')!;
  const [head, section] = readme.split('## Steps left to a human\n');
  const steps = section
    .trim()
    .split(/\n(?=\d+\. )/)
    .map(s => s.replace(/^\d+\. /, ''));
  const moving = steps.findIndex(s => match.test(s.split('\n')[0]));
  const [step] = steps.splice(moving, 1);
  const target = steps.findIndex(s => after.test(s.split('\n')[0]));
  steps.splice(target + 1, 0, step);
  return out.withFile(
    'README.md',
    `${head}## Steps left to a human\n\n${steps
      .map((s, i) => `${i + 1}. ${s}`)
      .join('\n')}\n`,
  );
}

describe('the runbook harness', () => {
  it('ESPv2 starts only once its service is deployed, under the name ESPv2 reads (compose and Kubernetes)', () => {
    const compose = rendered(
      combo('vault', 'google-cloud-endpoints', 'compose'),
    );
    const k8s = rendered(
      combo('aws-kms', 'google-cloud-endpoints', 'kubernetes'),
    );
    for (const out of [compose, k8s]) expect(check(out)).toEqual([]);
    const afterStart = moveStep(
      compose,
      /^Deploy the API config/,
      /^On the VM/,
    );
    expect(runbookRunsRule.check(afterStart).join('\n')).toMatch(
      /fails: espv2 exits at start: gcloud:endpoints\/\S+ does not exist yet/,
    );
    const afterApply = moveStep(
      k8s,
      /^Deploy the API config/,
      /^Apply the manifests/,
    );
    expect(runbookRunsRule.check(afterApply).join('\n')).toMatch(
      /(Deployment|StatefulSet) espv2: ESPv2 reads the rollout of \S+ when it starts and exits without one, and gcloud:endpoints\/\S+ does not exist when `kubectl apply -k` runs \(step \d+ makes it only later\)/,
    );
    // Deployed under another name than ESPv2's --service: on compose ESPv2 does not start, and (on Kubernetes,
    // where the run completes) the deployed service is one nothing reads.
    const renamed = (out: RenderedOutput) =>
      inject(
        out,
        'gateway/google-cloud-endpoints/openapi.yaml',
        /^host: .*$/m,
        'host: other.endpoints.amt-project-1.cloud.goog',
      );
    expect(runbookRunsRule.check(renamed(compose)).join('\n')).toMatch(
      /espv2 exits at start/,
    );
    expect(entryNamesRule.check(renamed(k8s)).join('\n')).toMatch(
      /stores gcloud:endpoints\/other.endpoints.amt-project-1.cloud.goog, which nothing reads/,
    );
  });

  it('a run started ahead is collected by the next call, whichever output that call asks for', () => {
    const sequential = (c: Combination) => runRunbook(rendered(c));
    const started = rendered(combo('vault', 'kong', 'compose'));
    const other = rendered(combo('azure-key-vault', 'tyk', 'aks'));
    startRunbook(started);
    // The server answers in order: asking for another output first collects the started one.
    const otherRun = runRunbook(other);
    const startedRun = runRunbook(started);
    for (const [run, c] of [
      [startedRun, combo('vault', 'kong', 'compose')],
      [otherRun, combo('azure-key-vault', 'tyk', 'aks')],
    ] as const) {
      expect(run.completed).toBe(true);
      expect([...run.writes.keys()].sort()).toEqual(
        [...sequential(c).writes.keys()].sort(),
      );
    }
    expect(startedRun.mounts.length).toBeGreaterThan(0);
    expect(otherRun.mounts).toEqual([]);
  });

  it.each([
    ['vault kong compose', VAULT_KONG_COMPOSE],
    ['key vault kong aks', KV_KONG_AKS],
    ['aws tyk compose', AWS_TYK_COMPOSE],
  ])(
    '%s: runs every step to the end, reading only what was stored',
    (_, out) => {
      const run = runRunbook(out);
      expect(run.failed).toBeUndefined();
      expect(run.completed).toBe(true);
      expect(run.misses).toEqual([]);
      expect(run.unmodelled).toEqual([]);
      expect(check(out)).toEqual([]);
    },
  );

  it.each([
    ['the jq model', false],
    ['the real jq', true],
  ])(
    'resolve-secrets.sh writes each referenced value from the store (%s)',
    (_, realJq) => {
      for (const out of [VAULT_KONG_COMPOSE, AWS_TYK_COMPOSE]) {
        let checked = 0;
        const run = runRunbook(
          out,
          { umask: '022' },
          {
            realJq,
            inspect(repo, r) {
              for (const service of ['mps', 'rps', 'mpsrouter']) {
                const refs = out
                  .file(`env/${service}.env`)!
                  .split('\n')
                  .filter(l => l.includes('_REF='));
                const written = fs.readFileSync(
                  path.join(repo, 'secrets', `${service}.env`),
                  'utf8',
                );
                for (const line of refs) {
                  const [, name, ref, key] = /^(\w+)_REF=(.+)#(\w+)$/.exec(
                    line,
                  )!;
                  const value = r.stored.get(storeKeyOfRef(ref))?.[key];
                  expect(typeof value).toBe('string');
                  expect(written).toContain(`${name}=${value}\n`);
                  checked++;
                }
              }
              const tls = r.stored.get(
                [...r.writes.keys()].find(k => k.endsWith('-gateway-tls'))!,
              )!;
              expect(
                fs.readFileSync(
                  path.join(repo, 'secrets/gateway-tls/tls.crt'),
                  'utf8',
                ),
              ).toBe(`${tls.crt}\n`);
            },
          },
        );
        expect(run.completed).toBe(true);
        expect(checked).toBeGreaterThan(5);
      }
    },
  );

  it("docker-compose refuses a missing env_file, as the stand-in's docker-compose up does", () => {
    if (!requireDockerCompose()) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-compose-'));
    try {
      for (const f of VAULT_KONG_COMPOSE.files) {
        fs.mkdirSync(path.dirname(path.join(dir, f.path)), {
          recursive: true,
        });
        fs.writeFileSync(path.join(dir, f.path), f.content);
      }
      const result = spawnSync(DOCKER_COMPOSE, ['config', '-q'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/Couldn't find env file: .*secrets\//);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a non-root operator is stopped with a reason, not left with files containers cannot read', () => {
    if (process.getuid?.() !== 0) return; // setpriv needs root to switch users
    const run = runRunbook(VAULT_KONG_COMPOSE, { uid: 1001, umask: '077' });
    expect(run.completed).toBe(false);
    expect(run.failed?.stderr).toMatch(/run as root/);
  });

  it('root with umask 077 still leaves every mounted file readable by its container only', () => {
    let modes: number[] = [];
    runRunbook(
      AWS_TYK_COMPOSE,
      { umask: '077' },
      {
        inspect(_repo, run) {
          expect(run.completed).toBe(true);
          expect(run.mounts.length).toBeGreaterThan(5);
          modes = run.mounts
            .filter(m => m.path.startsWith('secrets/'))
            .map(m => m.mode & 0o077);
        },
      },
    );
    expect(new Set(modes)).toEqual(new Set([0]));
  });
});

describe('each runbook rule fails on the defect it guards', () => {
  it(`${runbookRunsRule.id}: the certificate stored after resolve-secrets.sh reads it (compose)`, () => {
    const defect = moveStep(
      VAULT_KONG_COMPOSE,
      /^Store the TLS certificate/,
      /^On the VM/,
    );
    expect(runbookRunsRule.check(defect).join('\n')).toMatch(
      /step \d+ \("On the VM.*fails: No value found at kv\/data\/open-amt\/.*-gateway-tls/,
    );
  });

  it(`${runbookRunsRule.id}: the certificate stored after kubectl apply -k (Kubernetes)`, () => {
    const defect = moveStep(
      KV_KONG_AKS,
      /^Store the TLS certificate/,
      /^Apply the manifests/,
    );
    expect(runbookRunsRule.check(defect).join('\n')).toMatch(
      /ExternalSecret gateway-tls reads azure:amt-kv\/open-amt-.*-gateway-tls, which the store does not hold when `kubectl apply -k` runs \(step \d+ stores it later\)/,
    );
  });

  it(`${runbookRunsRule.id}: a read that does not stop the script (here-string) is still reported`, () => {
    const defect = inject(
      AWS_TYK_COMPOSE,
      'scripts/resolve-secrets.sh',
      /entry_database_ca=\$\((.*) --query (.*)\)\njq -r '\.ca' <<<"\$entry_database_ca"/,
      `jq -r '.ca' <<<"$($1-missing --query $2)"`,
    );
    expect(runbookRunsRule.check(defect).join('\n')).toMatch(
      /reads aws:eu-west-1\/open-amt\/db-ca-bundle-missing, which no earlier step stores/,
    );
  });

  it(`${runbookRunsRule.id}: the build step builds and pushes the images the deployment runs (the docker stand-in records them)`, () => {
    for (const out of [KV_KONG_AKS, AWS_TYK_COMPOSE]) {
      expect(runbookRunsRule.check(out)).toEqual([]);
      expect(runRunbook(out).pushed).toEqual([
        out.spec.images.mps,
        out.spec.images.rps,
      ]);
    }
  });

  it(`${runbookRunsRule.id}: compose started before the build step pushed the images it pulls`, () => {
    const defect = moveStep(AWS_TYK_COMPOSE, /^Build /, /^On the VM/);
    expect(runbookRunsRule.check(defect).join('\n')).toMatch(
      /step \d+ \("On the VM.*fails: ERROR: manifest for ghcr.io\/example-org\/.*-mps:v2.34.1-kit\S+ not found: manifest unknown/,
    );
  });

  it(`${runbookRunsRule.id}: a push before the registry login, and a Dockerfile copying a bundle the repository lacks`, () => {
    const noLogin = inject(
      KV_KONG_AKS,
      'README.md',
      /\n {3}az acr login --name \w+\n/,
      '\n',
    );
    expect(runbookRunsRule.check(noLogin).join('\n')).toMatch(
      /step \d+ \("Build .*fails: unauthorized: authentication required/,
    );
    const noBundle = inject(
      AWS_TYK_COMPOSE,
      'images/rps/Dockerfile',
      /COPY (\S+ \S+) dist\/secrets\/aws-secrets-manager\/index\.js/,
      'COPY $1 dist/secrets/aws-kms/index.js',
    );
    expect(runbookRunsRule.check(noBundle).join('\n')).toMatch(
      /step \d+ \("Build .*fails: ERROR: failed to solve: failed to calculate checksum of ref: "\/dist\/secrets\/aws-kms\/index.js": not found/,
    );
  });

  it(`${entryNamesRule.id}: the runbook stores the certificate under another name than the ExternalSecret reads`, () => {
    const defect = inject(
      KV_KONG_AKS,
      'README.md',
      /--name (open-amt-[a-z0-9-]+)-gateway-tls/,
      '--name $1-gateway-cert',
    );
    const violations = entryNamesRule.check(defect).join('\n');
    expect(violations).toMatch(
      /ExternalSecret gateway-tls reads azure:amt-kv\/open-amt-.*-gateway-tls, which no step of the runbook writes/,
    );
    expect(violations).toMatch(
      /step \d+ stores azure:amt-kv\/open-amt-.*-gateway-cert, which nothing reads/,
    );
  });

  it(`${entryNamesRule.id}: the probe's credentials named differently in catalog-info.yaml`, () => {
    const defect = inject(
      KV_KONG_AKS,
      'catalog-info.yaml',
      /-probe"/g,
      '-probe-credentials"',
    );
    expect(entryNamesRule.check(defect).join('\n')).toMatch(
      /catalog-info.yaml: open-amt.io\/credentials-ref azure-key-vault:.*-probe-credentials names an entry no step or portal action writes/,
    );
  });

  it(`${entryNamesRule.id}: a name the store's rules refuse`, () => {
    const defect = inject(
      KV_KONG_AKS,
      'kubernetes/external-secrets.yaml',
      /key: open-amt-db-ca-bundle/,
      'key: open-amt-db_ca.bundle',
    );
    expect(entryNamesRule.check(defect).join('\n')).toMatch(
      /ExternalSecret database-ca reads azure:amt-kv\/open-amt-db_ca.bundle, which no step of the runbook writes/,
    );
  });

  it(`${containerReadableRule.id}: the database CA left as umask 077 made it (compose)`, () => {
    const defect = inject(
      AWS_TYK_COMPOSE,
      'scripts/resolve-secrets.sh',
      /chown -R 1000:1000 secrets\/database-ca.pem && chmod -R u=rX,go= secrets\/database-ca.pem\n/,
      '',
    );
    const violations = containerReadableRule.check(defect).join('\n');
    for (const service of ['mps', 'rps', 'mpsrouter'])
      expect(violations).toContain(
        `${service} runs as uid 1000 and mounts secrets/database-ca.pem (file, owner 0:0, mode 0600 as the runbook leaves it): EACCES`,
      );
  });

  it(`${containerReadableRule.id}: a gateway whose user is not pinned, reading files handed to uid 1000`, () => {
    const defect = inject(
      VAULT_KONG_COMPOSE,
      'docker-compose.yml',
      /(\n {2}kong:\n(?: {4}.*\n)*?) {4}user: "1000:1000"\n/,
      '$1',
    );
    expect(containerReadableRule.check(defect).join('\n')).toMatch(
      /kong runs as its image's non-root user and mounts secrets\/kong.yaml \(file, owner 1000:1000, mode 0400/,
    );
  });

  it(`${containerReadableRule.id}: a Secret volume of mode 0400 without fsGroup (Kubernetes)`, () => {
    const defect = inject(
      KV_KONG_AKS,
      'kubernetes/gateway.yaml',
      /secretName: gateway-tls\n/,
      'secretName: gateway-tls\n            defaultMode: 256\n',
    );
    expect(containerReadableRule.check(defect).join('\n')).toMatch(
      /Deployment kong: container kong runs as uid 1000 and mounts volume gateway-tls \(files root:0, mode 0400\): EACCES/,
    );
  });

  it('the readability model: owner, group and other classes, directories need x', () => {
    const file = (uid: number, gid: number, mode: number, type = 'f') => ({
      uid,
      gid,
      mode,
      type,
    });
    const u1000 = { uid: 1000, gid: 1000 };
    expect(mayRead(u1000, [1000], file(1000, 0, 0o400))).toBe(true);
    expect(mayRead(u1000, [1000], file(0, 0, 0o600))).toBe(false);
    expect(mayRead(u1000, [1000], file(0, 1000, 0o640))).toBe(true);
    // The owner class wins even when other may read (Linux checks owner, then group, then other).
    expect(mayRead(u1000, [1000], file(1000, 0, 0o044))).toBe(false);
    expect(mayRead(u1000, [1000], file(1000, 1000, 0o400, 'd'))).toBe(false);
    expect(mayRead({ uid: 0 }, [], file(1000, 1000, 0o400))).toBe(true);
  });
});

describe('names the example specs do not reach hold end to end', () => {
  const variants: Array<[string, Combination, Partial<DeploymentSpecInput>]> = [
    [
      'a Vault path prefix with a trailing slash',
      combo('vault', 'kong', 'eks'),
      {
        secrets: {
          provider: 'vault',
          address: 'https://vault.example.com:8200',
          mount: 'kv',
          pathPrefix: 'open-amt/',
        },
      },
    ],
    [
      'a Secrets Manager prefix with a trailing slash',
      combo('aws-kms', 'kong', 'compose'),
      {
        secrets: {
          provider: 'aws-kms',
          region: 'eu-west-1',
          kmsKeyId:
            'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          prefix: 'open-amt/',
        },
      },
    ],
    [
      'a CA entry name with characters Key Vault refuses',
      combo('azure-key-vault', 'tyk', 'kubernetes'),
      {
        database: {
          provider: 'azure-postgresql',
          host: 'db.example.com',
          tlsMode: 'verify-full',
          caCertSecret: 'db_ca.bundle',
        },
      },
    ],
  ];
  it.each(variants)('%s', (_, c, overrides) => {
    const spec = parseDeploymentSpec({ ...specFor(c), ...overrides });
    expect(check(new RenderedOutput(spec, renderDeployment(spec)))).toEqual([]);
  });
});
