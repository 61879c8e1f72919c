import type { ConformanceRule } from '../types';

const BOOTSTRAP = 'secrets-store/vault/bootstrap.sh';

function hours(duration: string): number {
  const match = /^(\d+)(h|m|s)$/.exec(duration);
  if (!match) return NaN;
  const perHour = { h: 1, m: 60, s: 3600 }[match[2] as 'h' | 'm' | 's'];
  return Number(match[1]) / perHour;
}

/** Longest gap in hours between two runs of a 5-field cron schedule (daily or weekly forms; NaN otherwise). */
function cronGapHours(schedule: string): number {
  const [minute, hour, dom, month, dow] = schedule.trim().split(/\s+/);
  if (!minute || dom !== '*' || month !== '*') return NaN;
  if (hour === '*') return dow === '*' ? 1 : NaN;
  if (!/^\d+$/.test(hour)) return NaN;
  if (dow === '*') return 24;
  return /^\d$/.test(dow) ? 168 : NaN;
}

const renews = (command: string, variable: string) =>
  new RegExp(`VAULT_TOKEN="?\\$\\{?${variable}\\}?"? vault token renew`).test(
    command,
  );

export const vaultTokenLifetimeRule: ConformanceRule = {
  id: 'lifetime.vault-service-tokens',
  fact:
    'MPS and RPS read a static Vault token once at start and never renew it; a token with a TTL or period expires ' +
    'under them. Only a periodic token renewed within its period lives on (renewal keeps the token value, so no ' +
    'restart is needed): every service token needs a renewer that runs more often than the period.',
  source:
    'shared/reference/open-amt-traffic.md §4 (mps/rps Vault clients); Vault docs "Tokens" (periodic tokens, renew-self via the default policy)',
  check(out) {
    const bootstrap = out.file(BOOTSTRAP);
    if (!bootstrap) return [];
    const violations: string[] = [];
    const creates = bootstrap
      .split('\n')
      .filter(l => /vault token create/.test(l) && !l.trim().startsWith('#'));
    let periodHours = Infinity;
    for (const line of creates) {
      const period = /-period=(\S+)/.exec(line)?.[1];
      if (!period)
        violations.push(
          `${BOOTSTRAP}: "${line.trim()}" creates a non-periodic token: it expires at its TTL whatever is renewed`,
        );
      else periodHours = Math.min(periodHours, hours(period));
    }
    if (!creates.length) return violations;
    const compose = out.composeServices();
    const renewers: Array<{
      where: string;
      command: string;
      everyHours: number;
    }> = [];
    if (compose) {
      for (const [name, s] of Object.entries(compose)) {
        const command = [s.entrypoint, s.command]
          .flat()
          .filter(Boolean)
          .join(' ');
        const sleep = /sleep (\d+)/.exec(command)?.[1];
        if (/vault token renew/.test(command))
          renewers.push({
            where: `docker-compose.yml services.${name}`,
            command,
            everyHours: sleep ? Number(sleep) / 3600 : NaN,
          });
      }
    } else {
      for (const o of out
        .kubernetesObjects()
        .filter(x => x.kind === 'CronJob')) {
        const containers =
          o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];
        const command = containers
          .map((c: any) => [c.command, c.args].flat().filter(Boolean).join(' '))
          .join(' ');
        if (/vault token renew/.test(command))
          renewers.push({
            where: `CronJob ${o.metadata.name}`,
            command,
            everyHours: cronGapHours(o.spec.schedule),
          });
      }
    }
    for (const variable of ['MPS_VAULT_TOKEN', 'RPS_VAULT_TOKEN']) {
      const renewer = renewers.find(r => renews(r.command, variable));
      if (!renewer)
        violations.push(
          `${variable}: nothing renews it; the token expires ${periodHours} h after its last renewal and MPS/RPS lose Vault`,
        );
      else if (Number.isNaN(renewer.everyHours)) {
        violations.push(
          `${renewer.where}: renews ${variable} on a schedule not shown to run within its ${periodHours} h period`,
        );
      } else if (!(renewer.everyHours < periodHours)) {
        violations.push(
          `${renewer.where}: renews ${variable} every ${renewer.everyHours} h, not within its ${periodHours} h period`,
        );
      }
    }
    return violations;
  },
};
