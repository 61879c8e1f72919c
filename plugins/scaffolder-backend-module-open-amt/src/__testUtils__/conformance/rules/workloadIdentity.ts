import { podTemplateOf } from '../output';
import type { K8sObject } from '../output';
import type { ConformanceRule } from '../types';

/** Service-account annotations that hand a pod a cloud identity (the clouds' webhooks, and ESO, read them). */
const CLOUD_IDENTITY = [
  'eks.amazonaws.com/role-arn',
  'azure.workload.identity/client-id',
];
const AZURE_CLIENT_ID = 'azure.workload.identity/client-id';
const AZURE_USE_LABEL = 'azure.workload.identity/use';

/** The service accounts a store's auth names (ESO requests their tokens; Vault roles trust them). */
function storeAccounts(objects: K8sObject[]): Set<string> {
  const names = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'SecretStore' && o.kind !== 'ClusterSecretStore') continue;
    for (const block of Object.values<any>(o.spec?.provider ?? {})) {
      for (const ref of [
        block?.serviceAccountRef,
        block?.auth?.jwt?.serviceAccountRef,
        block?.auth?.kubernetes?.serviceAccountRef,
      ])
        if (ref?.name) names.add(ref.name);
    }
  }
  return names;
}

/** What an account may do beyond existing: its cloud identity, the stores that trust it, the roles bound to it. */
function privilegesOf(
  account: K8sObject | undefined,
  name: string,
  objects: K8sObject[],
  trusted: Set<string>,
): string[] {
  const out: string[] = [];
  const annotations = account?.metadata.annotations ?? {};
  for (const a of CLOUD_IDENTITY)
    if (annotations[a]) out.push(`cloud identity ${a}`);
  if (trusted.has(name)) out.push("the secrets store's login");
  for (const b of objects.filter(
    o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
  ))
    if (
      (b.subjects ?? []).some(
        (s: any) => s.kind === 'ServiceAccount' && s.name === name,
      )
    )
      out.push(`${b.kind} ${b.metadata.name}`);
  return out;
}

/**
 * A container reads and writes the store itself with the platform's identity when it is given a secrets provider and
 * no token for it: upstream's Vault provider logs in with the token (mps src/secrets/vault/index.ts:17-24, X-Vault-Token
 * from vault_token); a custom provider for Key Vault or Secrets Manager uses the pod's identity (runbook contract).
 */
function needsStoreIdentity(pod: any): boolean {
  return (pod?.spec?.containers ?? []).some((c: any) => {
    const names: string[] = (c.env ?? []).map((e: any) => e.name);
    return (
      names.some(n => n.endsWith('_SECRETS_PROVIDER')) &&
      !names.some(n => n.endsWith('_VAULT_TOKEN'))
    );
  });
}

export const workloadIdentityRule: ConformanceRule = {
  id: 'identity.least-privilege',
  fact:
    'A pod holds every right of its service account: the cloud identity its annotations name (IRSA, Azure workload ' +
    'identity), the store logins that trust it and its role bindings. Only MPS and RPS with a platform-identity store ' +
    'need one, and then their account must carry it (on Azure the webhook only mutates pods labelled ' +
    'azure.workload.identity/use: "true"); the Web UI, mps-router, gateways and jobs need none, and no workload calls ' +
    'the Kubernetes API, so none mounts a token.',
  source:
    'Kubernetes docs "Service Accounts" (automountServiceAccountToken, pod then account, default true); ' +
    'azure-workload-identity v1.6.0 deploy/azure-wi-webhook.yaml:252-254 (objectSelector azure.workload.identity/use), ' +
    'pkg/webhook/consts.go:6-10; amazon-eks-pod-identity-webhook v0.6.17 pkg/annotations.go:21, pkg/handler/handler.go:97,353 ' +
    'and azure-workload-identity pkg/webhook/webhook.go:498 (both webhooks project their own token: no automount needed); ' +
    'mps v2.34.1 src/secrets/vault/index.ts:17-24',
  check(out) {
    const objects = out.kubernetesObjects();
    const accounts = new Map(
      objects
        .filter(o => o.kind === 'ServiceAccount')
        .map(o => [o.metadata.name, o] as const),
    );
    const trusted = storeAccounts(objects);
    const violations: string[] = [];
    for (const o of objects) {
      const pod = podTemplateOf(o);
      if (!pod) continue;
      const where = `${o.kind} ${o.metadata.name}`;
      const name: string = pod.spec?.serviceAccountName ?? 'default';
      const account = accounts.get(name);
      const held = privilegesOf(account, name, objects, trusted);
      const automount =
        pod.spec?.automountServiceAccountToken ??
        account?.automountServiceAccountToken ??
        true;
      if (automount)
        violations.push(
          `${where}: mounts a Kubernetes API token (service account ${name}) it never uses`,
        );
      if (!needsStoreIdentity(pod)) {
        if (held.length)
          violations.push(
            `${where}: runs under ${name}, which holds ${held.join(
              ', ',
            )}: it needs no identity`,
          );
        continue;
      }
      const annotations = account?.metadata.annotations ?? {};
      if (!CLOUD_IDENTITY.some(a => annotations[a]))
        violations.push(
          `${where}: reads the store with the platform identity, but its service account ${name} carries none`,
        );
      if (
        annotations[AZURE_CLIENT_ID] &&
        pod.metadata?.labels?.[AZURE_USE_LABEL] !== 'true'
      )
        violations.push(
          `${where}: no ${AZURE_USE_LABEL}: "true" label, so the workload identity webhook never hands it its token`,
        );
      if (trusted.has(name))
        violations.push(
          `${where}: runs under ${name}, the account External Secrets reads every entry with`,
        );
    }
    return violations;
  },
};
