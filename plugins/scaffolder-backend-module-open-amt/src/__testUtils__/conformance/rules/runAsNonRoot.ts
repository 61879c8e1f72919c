import { releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import type { K8sObject } from '../output';
import type { ConformanceRule } from '../types';

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
function podTemplate(o: K8sObject): any {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind)
    ? o.spec?.template
    : undefined;
}

export const runAsNonRootRule: ConformanceRule = {
  id: 'startup.run-as-non-root',
  fact:
    'With runAsNonRoot the kubelet refuses to start a container unless it can verify a non-zero uid: a numeric ' +
    'runAsUser, or a numeric USER in the image. The toolkit images run as named users (node, scratchuser) and the ' +
    'Web UI as root, so every such pod needs a numeric runAsUser, and a toolkit image must run as its own uid ' +
    '(release data) to read its files.',
  source:
    'Kubernetes kubelet (kuberuntime_container: "image has non-numeric user, cannot verify user is non-root"); shared/reference/open-amt-traffic.md §3; release modules (components.*.user)',
  check(out) {
    const release = releaseOf(out.spec);
    const uidOfImage = new Map(
      Object.values(release.components).map(c => [c.image, c.user.uid]),
    );
    const violations: string[] = [];
    for (const o of out.kubernetesObjects()) {
      const pod = podTemplate(o)?.spec;
      if (!pod) continue;
      for (const c of [
        ...(pod.initContainers ?? []),
        ...(pod.containers ?? []),
      ]) {
        const nonRoot =
          c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        const uid =
          c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
        const where = `${o.kind} ${o.metadata.name} container ${c.name}`;
        if (nonRoot && !(Number.isInteger(uid) && uid > 0)) {
          violations.push(
            `${where}: runAsNonRoot without a numeric non-root runAsUser: the kubelet refuses to start it (CreateContainerConfigError)`,
          );
        }
        const imageUid = uidOfImage.get(c.image);
        if (
          imageUid !== undefined &&
          imageUid !== 0 &&
          uid !== undefined &&
          uid !== imageUid
        ) {
          violations.push(
            `${where}: runs as uid ${uid}, but ${c.image} is built for uid ${imageUid}`,
          );
        }
      }
    }
    return violations;
  },
};
