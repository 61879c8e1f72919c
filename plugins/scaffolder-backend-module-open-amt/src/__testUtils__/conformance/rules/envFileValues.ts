import { generateEntry, PROVISIONED_KINDS } from '../../../secrets/provision';
import { dotenvValues } from '../compose/dotenv';
import type { ConformanceRule } from '../types';

const SCRIPT = 'scripts/resolve-secrets.sh';
/** `printf '%s=%s\n' NAME "$(jq -r '.key' <<<"$entry_kind")" >> secrets/x.env`: one value into one env file. */
const WRITE =
  /^printf '%s=%s\\n' (\w+) "\$\(jq -r '\.(\w+)' <<<"\$entry_(\w+)"\)" >> (\S+)$/;

export const envFileValuesRule: ConformanceRule = {
  id: 'text.env-file-values',
  fact:
    "On compose, scripts/resolve-secrets.sh writes each secret as a `NAME=value` line of an env_file (bash's $(…) " +
    'drops trailing newlines) and docker-compose 1.29 reads it with python-dotenv 0.21: an unquoted value loses ' +
    'a ` #…` tail and trailing blanks, `${…}` is interpolated, a leading quote starts a quoted value. Every value ' +
    'the portal provisions must reach the container as the store holds it.',
  source:
    'compose/config/environment.py:29-41 and config/config.py:726-734 (env_file through dotenv_values, ' +
    'interpolate=True); python-dotenv 0.21.0 parser.py:123-139, variables.py:5-15 (model: compose/dotenv.ts, ' +
    'checked against the installed python-dotenv in composeModel.test.ts); bash(1) "Command Substitution"',
  check(out) {
    const script = out.file(SCRIPT);
    if (!script) return [];
    const violations: string[] = [];
    const entries = new Map<string, Record<string, string>>();
    const entry = (kind: string) => {
      if (!entries.has(kind)) {
        const provisioned = (PROVISIONED_KINDS as readonly string[]).includes(
          kind,
        );
        let e: Record<string, string> | undefined;
        if (kind === 'db-mps' || kind === 'db-rps') e = out.provisioned(kind);
        else if (provisioned && kind !== 'probe')
          e = generateEntry(out.spec, kind as 'jwt' | 'mpsweb', {});
        entries.set(kind, e ?? {});
      }
      return entries.get(kind)!;
    };
    for (const line of script.split('\n')) {
      const m = WRITE.exec(line);
      if (!m) continue;
      const [, name, key, kindVar, file] = m;
      // Entries the portal does not write (Vault's tokens, operator certificates) have no value to check here.
      const value = entry(kindVar.replace(/_/g, '-'))[key];
      if (value === undefined) continue;
      const written = `${name}=${value.replace(/\n+$/, '')}\n`;
      const read = dotenvValues(written).get(name);
      if (read !== value)
        // The values are secrets: the message says how they differ, not what they are.
        violations.push(
          `${SCRIPT}: ${name} in ${file} reaches the container altered by python-dotenv (${
            read === undefined || read === null
              ? 'no value'
              : `${read.length} characters`
          } instead of the ${value.length} the store holds)`,
        );
    }
    return violations;
  },
};
