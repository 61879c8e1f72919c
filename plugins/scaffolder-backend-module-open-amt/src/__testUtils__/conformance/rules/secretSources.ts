import type { K8sObject, RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

/**
 * Who authenticates an ExternalSecret's store: Vault through a Kubernetes-auth role (rule
 * identity.vault-kubernetes-auth checks the role), AWS and Azure through the workload identity of a ServiceAccount
 * whose annotation names the role / client (ESO provider docs: "AWS Secrets Manager" jwt auth with IRSA, "Azure Key
 * Vault" WorkloadIdentity).
 */
function storeAuthMissing(
  store: K8sObject,
  accounts: K8sObject[],
): string | undefined {
  const provider = store.spec?.provider ?? {};
  const account = (name?: string) =>
    accounts.find(a => a.metadata.name === name);
  if (provider.vault)
    return provider.vault.auth?.kubernetes?.role
      ? undefined
      : 'its Vault provider has no Kubernetes-auth role';
  if (provider.aws) {
    const sa = account(provider.aws.auth?.jwt?.serviceAccountRef?.name);
    return (sa?.metadata as any)?.annotations?.['eks.amazonaws.com/role-arn']
      ? undefined
      : 'its AWS provider authenticates as no ServiceAccount carrying an IAM role (eks.amazonaws.com/role-arn)';
  }
  if (provider.azurekv) {
    const sa = account(provider.azurekv.serviceAccountRef?.name);
    return provider.azurekv.authType === 'WorkloadIdentity' &&
      (sa?.metadata as any)?.annotations?.['azure.workload.identity/client-id']
      ? undefined
      : 'its Azure provider authenticates as no ServiceAccount carrying a workload identity (azure.workload.identity/client-id)';
  }
  return 'it names a provider this suite does not know';
}

/** Why an ExternalSecret's store writes nothing: absent, or nobody can log in to it. */
function storeMissing(
  ref: { kind?: string; name?: string },
  store: K8sObject | undefined,
  accounts: K8sObject[],
): string | undefined {
  if (!store)
    return `its store ${ref.kind ?? 'SecretStore'} ${
      ref.name
    } is not in the output`;
  return storeAuthMissing(store, accounts);
}

/** The Secret or ConfigMap a volume mounts, with its items. */
function volumeSource(
  v: any,
):
  | { source: string; items?: Array<{ key: string }>; optional?: boolean }
  | undefined {
  if (v.secret)
    return {
      source: `Secret/${v.secret.secretName}`,
      items: v.secret.items,
      optional: v.secret.optional,
    };
  if (v.configMap)
    return {
      source: `ConfigMap/${v.configMap.name}`,
      items: v.configMap.items,
      optional: v.configMap.optional,
    };
  return undefined;
}

/** The keys each Secret and ConfigMap will hold once applied, or why an ExternalSecret's target will never be written. */
function producedKeys(
  objects: K8sObject[],
): Map<string, Set<string> | { never: string }> {
  const produced = new Map<string, Set<string> | { never: string }>();
  const accounts = objects.filter(o => o.kind === 'ServiceAccount');
  for (const o of objects) {
    if (o.kind === 'Secret' || o.kind === 'ConfigMap') {
      produced.set(
        `${o.kind}/${o.metadata.name}`,
        new Set([
          ...Object.keys(o.data ?? {}),
          ...Object.keys(o.stringData ?? {}),
          ...Object.keys(o.binaryData ?? {}),
        ]),
      );
    }
    if (o.kind !== 'ExternalSecret') continue;
    const target = `Secret/${o.spec?.target?.name ?? o.metadata.name}`;
    const storeRef = o.spec?.secretStoreRef ?? {};
    const store = objects.find(
      s =>
        s.kind === (storeRef.kind ?? 'SecretStore') &&
        s.metadata.name === storeRef.name,
    );
    const generated = (o.spec?.dataFrom ?? []).some(
      (d: any) => d.sourceRef?.generatorRef,
    );
    const why =
      generated && !(o.spec?.data ?? []).length
        ? undefined
        : storeMissing(storeRef, store, accounts);
    if (why) {
      produced.set(target, {
        never: `ExternalSecret ${o.metadata.name} never writes it: ${why}`,
      });
      continue;
    }
    const keys = new Set<string>([
      ...(o.spec?.data ?? []).map((d: any) => d.secretKey),
      ...Object.keys(o.spec?.target?.template?.data ?? {}),
    ]);
    // ESO's Password generator yields the key `password`.
    if (
      (o.spec?.dataFrom ?? []).some(
        (d: any) => d.sourceRef?.generatorRef?.kind === 'Password',
      )
    )
      keys.add('password');
    produced.set(target, keys);
  }
  return produced;
}

interface Reference {
  what: string;
  source: string;
  key?: string;
  optional?: boolean;
}

function referencesOf(pod: any): Reference[] {
  const refs: Reference[] = [];
  for (const c of [
    ...(pod?.initContainers ?? []),
    ...(pod?.containers ?? []),
  ]) {
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s)
        refs.push({
          what: `container ${c.name} env ${e.name}`,
          source: `Secret/${s.name}`,
          key: s.key,
          optional: s.optional,
        });
      if (m)
        refs.push({
          what: `container ${c.name} env ${e.name}`,
          source: `ConfigMap/${m.name}`,
          key: m.key,
          optional: m.optional,
        });
    }
    for (const f of c.envFrom ?? []) {
      if (f.secretRef)
        refs.push({
          what: `container ${c.name} envFrom`,
          source: `Secret/${f.secretRef.name}`,
          optional: f.secretRef.optional,
        });
      if (f.configMapRef)
        refs.push({
          what: `container ${c.name} envFrom`,
          source: `ConfigMap/${f.configMapRef.name}`,
          optional: f.configMapRef.optional,
        });
    }
  }
  for (const v of pod?.volumes ?? []) {
    const mounted = volumeSource(v);
    if (!mounted) continue;
    const { source, items, optional } = mounted;
    if (!items?.length)
      refs.push({ what: `volume ${v.name}`, source, optional });
    for (const item of items ?? [])
      refs.push({ what: `volume ${v.name}`, source, key: item.key, optional });
  }
  return refs;
}

export const secretSourcesRule: ConformanceRule = {
  id: 'startup.secret-sources',
  fact:
    'The kubelet starts a container only when every Secret and ConfigMap (and key) it reads exists, unless the reference ' +
    'is optional (CreateContainerConfigError, or a pod stuck ContainerCreating for volumes). Each must be an object of the ' +
    'kustomization or the target of an ExternalSecret whose store authenticates: a store nobody can log in to writes nothing.',
  source:
    'Kubernetes docs "Secrets" (using Secrets as environment variables / files: a missing Secret or key keeps the pod from starting); ' +
    'External Secrets Operator docs (SecretStore providers: Vault kubernetes auth, AWS jwt/IRSA, Azure WorkloadIdentity)',
  check(out: RenderedOutput) {
    const objects = out.kubernetesObjects();
    if (!objects.length) return [];
    const produced = producedKeys(objects);
    const violations: string[] = [];
    for (const o of objects) {
      const pod =
        o.kind === 'CronJob'
          ? o.spec?.jobTemplate?.spec?.template?.spec
          : o.spec?.template?.spec;
      if (
        !['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(
          o.kind,
        )
      )
        continue;
      for (const ref of referencesOf(pod)) {
        if (ref.optional) continue;
        const keys = produced.get(ref.source);
        const where = `${o.kind} ${o.metadata.name} ${ref.what}`;
        if (!keys)
          violations.push(
            `${where}: ${ref.source} is created by nothing in the kustomization`,
          );
        else if ('never' in keys)
          violations.push(`${where}: ${ref.source} — ${keys.never}`);
        else if (ref.key && !keys.has(ref.key))
          violations.push(`${where}: ${ref.source} has no key ${ref.key}`);
      }
    }
    return violations;
  },
};
