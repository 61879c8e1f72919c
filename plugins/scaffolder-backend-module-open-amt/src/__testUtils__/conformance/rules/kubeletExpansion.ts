import { kubeletExpand, serviceLinkNames } from '../kubelet';
import type { ConformanceRule } from '../types';

/** The pod template of a workload object, if it has one. */
function podSpec(o: any): any {
  return o.kind === 'CronJob'
    ? o.spec?.jobTemplate?.spec?.template?.spec
    : o.spec?.template?.spec;
}

export const kubeletExpansionRule: ConformanceRule = {
  id: 'text.kubelet-expansion',
  fact:
    "The kubelet rewrites a container's env values, command and args before the process starts: `$(NAME)` " +
    'becomes the value of a variable the container has (its env, or a Service link variable of the namespace) and ' +
    '`$$` becomes `$`. What a container runs or reads must reach it as written: a shell `$$` or a `$(NAME)` meant ' +
    'for a shell is written `$$$$` / `$$(NAME)`.',
  source:
    'kubernetes third_party/forked/golang/expansion/expand.go (Expand, MappingFuncFor; vectors from its ' +
    'expand_test.go in kubelet.test.ts), pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs, ' +
    'pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, pkg/kubelet/envvars/envvars.go FromServices',
  check(out) {
    const objects = out.kubernetesObjects();
    const violations: string[] = [];
    for (const o of objects) {
      const pod = podSpec(o);
      if (!pod) continue;
      const links =
        pod.enableServiceLinks === false
          ? []
          : objects
              .filter(
                s =>
                  s.kind === 'Service' &&
                  s.metadata.namespace === o.metadata.namespace,
              )
              .flatMap(serviceLinkNames);
      for (const c of [
        ...(pod.initContainers ?? []),
        ...(pod.containers ?? []),
      ]) {
        const where = `${o.kind} ${o.metadata.name} container ${c.name}`;
        // Values do not matter, only which names are defined when each string is expanded.
        const defined = new Set<string>(links);
        const lookup = (name: string) =>
          defined.has(name) ? `<${name}>` : undefined;
        const check = (field: string, s: unknown) => {
          if (typeof s === 'string' && kubeletExpand(s, lookup) !== s)
            violations.push(
              `${where} ${field}: the kubelet rewrites ${JSON.stringify(
                s,
              )} to ${JSON.stringify(kubeletExpand(s, lookup))}`,
            );
        };
        for (const e of c.env ?? []) {
          check(`env ${e.name}`, e.value);
          defined.add(e.name);
        }
        (c.command ?? []).forEach((s: unknown) => check('command', s));
        (c.args ?? []).forEach((s: unknown) => check('args', s));
      }
    }
    return violations;
  },
};
