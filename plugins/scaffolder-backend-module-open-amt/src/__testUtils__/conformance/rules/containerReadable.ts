import { runRunbook } from '../runbook/harness';
import {
  composeUserPin,
  containerUser,
  ContainerUser,
  mayRead,
} from '../runbook/containerUsers';
import type { K8sObject, RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const octal = (mode: number) => `0${mode.toString(8)}`;

/** Compose: what `docker-compose up` found at each bind-mount source, after resolve-secrets.sh ran as the operator. */
function composeViolations(out: RenderedOutput): string[] {
  const services = out.composeServices() ?? {};
  const run = runRunbook(out);
  const violations: string[] = [];
  const reported = new Set<string>();
  for (const m of run.mounts) {
    const service = services[m.service] ?? {};
    const pin = composeUserPin(service.user);
    const user = containerUser(out, m.service, service.image, pin);
    const groups = [
      ...(user?.gid !== undefined ? [user.gid] : []),
      ...(service.group_add ?? []).map(Number),
    ];
    if (!user) {
      violations.push(
        `docker-compose.yml: ${m.service} mounts ${m.path}, but which user it runs as is not known (pin \`user:\`)`,
      );
      continue;
    }
    if (mayRead(user, groups, m)) continue;
    // One report per service and mounted root (a directory and everything in it fail alike).
    const key = `${m.service} ${m.path.split('/').slice(0, 2).join('/')}`;
    if (reported.has(key)) continue;
    reported.add(key);
    violations.push(
      `docker-compose.yml: ${m.service} runs as ${
        user.uid !== undefined ? `uid ${user.uid}` : "its image's non-root user"
      } and mounts ${m.path} (${m.type === 'd' ? 'directory' : 'file'}, owner ${
        m.uid
      }:${m.gid}, mode ${octal(m.mode)} as the runbook leaves it): EACCES`,
    );
  }
  return violations;
}

const POD_OWNERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

function podTemplates(
  objects: K8sObject[],
): Array<{ owner: string; spec: any }> {
  return objects.flatMap(o => {
    if (POD_OWNERS.includes(o.kind))
      return [
        { owner: `${o.kind} ${o.metadata.name}`, spec: o.spec?.template?.spec },
      ];
    if (o.kind === 'CronJob')
      return [
        {
          owner: `CronJob ${o.metadata.name}`,
          spec: o.spec?.jobTemplate?.spec?.template?.spec,
        },
      ];
    return [];
  });
}

/**
 * Kubernetes: a Secret or ConfigMap volume's files are root-owned with `items[].mode`, else `defaultMode`, else 0644;
 * with an fsGroup their group becomes it and the kubelet ORs r--r----- into read-only volumes' modes.
 */
function kubernetesViolations(out: RenderedOutput): string[] {
  const violations: string[] = [];
  for (const { owner, spec } of podTemplates(out.kubernetesObjects())) {
    if (!spec) continue;
    const pod = spec.securityContext ?? {};
    const volumes = new Map<string, any>(
      (spec.volumes ?? []).map((v: any) => [v.name, v]),
    );
    for (const c of [
      ...(spec.initContainers ?? []),
      ...(spec.containers ?? []),
    ]) {
      const sc = c.securityContext ?? {};
      const uid = sc.runAsUser ?? pod.runAsUser;
      const gid = sc.runAsGroup ?? pod.runAsGroup;
      const user: ContainerUser | undefined = containerUser(
        out,
        c.name,
        c.image,
        uid !== undefined ? { uid, gid } : undefined,
      );
      const primary = gid ?? user?.gid;
      const groups = [
        ...(primary !== undefined ? [primary] : []),
        ...(pod.fsGroup !== undefined ? [pod.fsGroup] : []),
        ...(pod.supplementalGroups ?? []),
      ];
      for (const mount of c.volumeMounts ?? []) {
        const v = volumes.get(mount.name);
        const source = v?.secret ?? v?.configMap;
        if (!source) continue;
        const modes: number[] = source.items?.length
          ? source.items.map((i: any) => i.mode ?? source.defaultMode ?? 0o644)
          : [source.defaultMode ?? 0o644];
        for (const mode of new Set(modes)) {
          const file = {
            uid: 0,
            gid: pod.fsGroup ?? 0,
            mode: pod.fsGroup !== undefined ? mode | 0o440 : mode,
            type: 'f',
          };
          if (!user) {
            violations.push(
              `${owner}: container ${c.name} mounts volume ${mount.name}, but which user it runs as is not known`,
            );
          } else if (!mayRead(user, groups, file))
            violations.push(
              `${owner}: container ${c.name} runs as ${
                user.uid !== undefined ? `uid ${user.uid}` : 'a non-root user'
              } and mounts volume ${mount.name} (files root:${
                file.gid
              }, mode ${octal(file.mode)}): EACCES`,
            );
        }
      }
    }
  }
  return violations;
}

export const containerReadableRule: ConformanceRule = {
  id: 'files.container-readable',
  fact:
    'Every file a container reads from a mount is readable by the user the container runs as: on compose, the files ' +
    'scripts/resolve-secrets.sh leaves behind when the runbook runs it (stat after a real run), against compose ' +
    "`user:` or the image's USER; on Kubernetes, Secret/ConfigMap volume modes (defaultMode, fsGroup) against " +
    'runAsUser/runAsGroup/fsGroup.',
  source:
    'issue 18 class 3 (secrets/database-ca.pem written under umask 077, EACCES for uid 1000 in MPS, measured); ' +
    'shared/reference/open-amt-traffic.md §3 (image users); Kubernetes API reference SecretVolumeSource.defaultMode ' +
    '(default 0644) and PodSecurityContext.fsGroup; kubelet pkg/volume/volume_linux.go (read-only volumes: mode |= 0440)',
  check(out: RenderedOutput) {
    if (!out.file('README.md')) return [];
    return out.composeServices()
      ? composeViolations(out)
      : kubernetesViolations(out);
  },
};
