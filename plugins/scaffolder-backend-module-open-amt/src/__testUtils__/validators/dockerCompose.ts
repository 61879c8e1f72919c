/**
 * `docker-compose -f docker-compose.yml config -q` (Debian docker-compose 1.29, no engine needed) on the
 * rendered files written to a temporary folder, with placeholder secrets/*.env files beside them (the
 * real ones come from scripts/resolve-secrets.sh; compose refuses missing env_files).
 */
import { spawn, spawnSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { RenderedFile } from '../../render/types';
import { composeTree } from './renderedTree';

export const DOCKER_COMPOSE = '/usr/bin/docker-compose';
export const dockerComposeAvailable = () => existsSync(DOCKER_COMPOSE);

/**
 * True when docker-compose is there. In CI (CI=true, where .ci/run installs it) its absence is an error;
 * on a developer machine without it the check is skipped with a warning.
 */
export function requireDockerCompose(): boolean {
  if (dockerComposeAvailable()) return true;
  if (process.env.CI)
    throw new Error(
      `${DOCKER_COMPOSE} is missing: apt-get install -y docker-compose`,
    );
  // eslint-disable-next-line no-console
  console.warn(
    `${DOCKER_COMPOSE} not installed: docker-compose validation skipped`,
  );
  return false;
}

export function checkWithDockerCompose(files: RenderedFile[]): string[] {
  const dir = composeTree(files);
  try {
    const r = spawnSync(
      DOCKER_COMPOSE,
      ['-f', 'docker-compose.yml', 'config', '-q'],
      { cwd: dir, encoding: 'utf8' },
    );
    return r.status === 0
      ? []
      : [`docker-compose config: ${(r.stderr || r.stdout).trim()}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same check for many file sets, `concurrency` docker-compose processes at a time (~1 s each). */
export async function checkManyWithDockerCompose(
  sets: { name: string; files: RenderedFile[] }[],
  concurrency = 4,
): Promise<string[]> {
  const issues: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sets.length) {
      const { name, files } = sets[next++];
      const dir = composeTree(files);
      const stderr: string[] = [];
      const code = await new Promise<number | null>(res => {
        const p = spawn(
          DOCKER_COMPOSE,
          ['-f', 'docker-compose.yml', 'config', '-q'],
          { cwd: dir },
        );
        p.stderr.on('data', d => stderr.push(String(d)));
        p.stdout.on('data', d => stderr.push(String(d)));
        p.on('close', res);
      });
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0)
        issues.push(
          `${name}: docker-compose config: ${stderr.join('').trim()}`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return issues;
}
