import { dotenvValues } from '../compose/dotenv';
import { interpolateString } from '../compose/interpolation';
import type { ConformanceRule } from '../types';

const SHELLS = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|dash)$/;

/** The scripts a service runs through a shell in its container: `sh -c <script>` and CMD-SHELL healthchecks. */
function shellScripts(s: any): Array<[string, string]> {
  const entrypoint = [s.entrypoint ?? []].flat();
  const command = [s.command ?? []].flat();
  const argv = entrypoint.length ? [...entrypoint, ...command] : command;
  const scripts: Array<[string, string]> = [];
  if (SHELLS.test(String(argv[0])) && argv[1] === '-c' && argv.length > 2)
    scripts.push([entrypoint.length > 2 ? 'entrypoint' : 'command', argv[2]]);
  const test = s.healthcheck?.test;
  if (typeof test === 'string') scripts.push(['healthcheck.test', test]);
  else if (test?.[0] === 'CMD-SHELL')
    scripts.push(['healthcheck.test', test.slice(1).join(' ')]);
  return scripts;
}

/** Names resolve-secrets.sh writes into each env file (`printf '%s=%s\n' NAME … >> secrets/x.env`). */
function resolvedNames(script: string | undefined): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const m of (script ?? '').matchAll(
    /printf '%s=%s\\n' (\w+) .*>> (secrets\/[\w.-]+\.env)$/gm,
  ))
    names.set(m[2], [...(names.get(m[2]) ?? []), m[1]]);
  return names;
}

export const composeInterpolationRule: ConformanceRule = {
  id: 'text.compose-interpolation',
  fact:
    'docker-compose interpolates every `$` of docker-compose.yml when it reads the file, before any container runs: ' +
    '`$NAME` / `${NAME}` become the value in the project .env or the shell (unset: "" with the warning "The NAME ' +
    'variable is not set. Defaulting to a blank string."), `$$` becomes `$`, any other `$` makes compose refuse the ' +
    'file. A variable a container shell is meant to expand must be written `$$NAME`; nothing may depend on a ' +
    'variable the runbook never sets.',
  source:
    'docker-compose 1.29.2 (Debian, /usr/bin/docker-compose): compose/config/interpolation.py:87-147 (pattern and ' +
    'substitution), compose/config/environment.py:51-99 (.env then the shell; the unset warning), ' +
    'compose/config/config.py:582-620 (sections interpolated); vectors from docker/compose 1.29.2 ' +
    'tests/unit/config/interpolation_test.py; checked against `docker-compose config` (composeModel.test.ts)',
  check(out) {
    const view = out.compose();
    if (!view) return [];
    if (view.error)
      return [`docker-compose.yml: compose refuses the file: ${view.error}`];
    const violations: string[] = [];
    const resolved = resolvedNames(out.file('scripts/resolve-secrets.sh'));
    const inServices = new Set<string>();
    for (const [name, s] of Object.entries(view.written)) {
      const where = `docker-compose.yml services.${name}`;
      // The names the container itself has at run time: its environment and its env files.
      const own = new Set<string>(
        Array.isArray(s.environment)
          ? s.environment.map((e: string) => e.split('=')[0])
          : Object.keys(s.environment ?? {}),
      );
      for (const file of [s.env_file ?? []].flat() as string[]) {
        const rendered = out.file(file);
        if (rendered !== undefined)
          dotenvValues(rendered).forEach((_, k) => own.add(k));
        resolved.get(file)?.forEach(k => own.add(k));
      }
      for (const [field, script] of shellScripts(s)) {
        for (const v of interpolateString(script, view.environment).referenced)
          if (own.has(v))
            violations.push(
              `${where} ${field}: the shell is meant to expand $${v} (the container has it), but compose substitutes it when it reads the file: write $$${v}`,
            );
      }
      const unset = new Set<string>();
      const collect = (x: unknown): void => {
        if (typeof x === 'string')
          interpolateString(x, view.environment).unset.forEach(u =>
            unset.add(u),
          );
        else if (x && typeof x === 'object') Object.values(x).forEach(collect);
      };
      collect(s);
      unset.forEach(v => inServices.add(v));
      for (const v of unset)
        violations.push(
          `${where}: compose warns "The ${v} variable is not set. Defaulting to a blank string." and writes "" in its place: neither .env nor any step of the runbook sets it`,
        );
    }
    for (const v of view.unset.filter(u => !inServices.has(u)))
      violations.push(
        `docker-compose.yml: compose warns "The ${v} variable is not set. Defaulting to a blank string." (outside services)`,
      );
    return violations;
  },
};
