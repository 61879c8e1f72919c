import type { ConformanceRule } from '../types';

/** Executables each image provides (release images: node for mps/rps, the Go binary /app for mps-router, busybox wget in the nginx-alpine Web UI; kong ships its CLI). */
const HAS: Record<string, string[]> = {
  mps: ['node'],
  rps: ['node'],
  mpsrouter: ['/app'],
  webui: ['wget'],
  kong: ['kong'],
};

export const composeHealthchecksRule: ConformanceRule = {
  id: 'startup.compose-healthchecks',
  fact:
    'Docker restarts and reports only what a healthcheck tests: upstream compose gives the services and Kong one ' +
    '(rps Healthcheck.js, mps-router `/app --health`, `kong health`). A check must run an executable the image has, ' +
    'or the container is reported unhealthy forever.',
  source:
    'device-management-toolkit/deployment docker-compose.yml (healthcheck blocks); Compose file reference "healthcheck"',
  check(out) {
    const compose = out.composeServices();
    if (!compose) return [];
    const violations: string[] = [];
    for (const [name, executables] of Object.entries(HAS)) {
      const service = compose[name];
      if (!service) continue;
      const test: string[] | undefined = service.healthcheck?.test;
      if (!test?.length) {
        violations.push(`docker-compose.yml services.${name}: no healthcheck`);
        continue;
      }
      const executable = test[0] === 'CMD' ? test[1] : undefined;
      if (!executable || !executables.includes(executable))
        violations.push(
          `docker-compose.yml services.${name}: the healthcheck runs ${
            executable ?? test.join(' ')
          }, which the image does not have`,
        );
    }
    return violations;
  },
};
