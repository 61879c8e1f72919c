import type { ConformanceRule } from '../types';

const BOOTSTRAP = 'secrets-store/vault/bootstrap.sh';

/** `key=a,b` values of a `vault write` line. */
function argValues(line: string, key: string): string[] {
  const match = new RegExp(`\\b${key}=("[^"]*"|\\S+)`).exec(line);
  return match ? match[1].replace(/"/g, '').split(',') : [];
}

export const vaultKubernetesAuthRule: ConformanceRule = {
  id: 'startup.vault-kubernetes-auth',
  fact:
    "External Secrets' Vault SecretStore logs in with Kubernetes auth: the role it names must exist, bound to its " +
    'service account and namespace with a policy that can read the entries, the account must exist, and Vault must be ' +
    'allowed to review its token (system:auth-delegator when no reviewer JWT is configured); otherwise every ' +
    'ExternalSecret stays SecretSyncedError and no pod gets its secrets.',
  source:
    'External Secrets Operator docs "HashiCorp Vault" (Kubernetes auth); Vault docs "Kubernetes auth method" (configuration, roles, use the client JWT as reviewer JWT)',
  check(out) {
    const stores = out
      .kubernetesObjects()
      .filter(
        o =>
          (o.kind === 'SecretStore' || o.kind === 'ClusterSecretStore') &&
          o.spec?.provider?.vault?.auth?.kubernetes,
      );
    if (!stores.length) return [];
    const bootstrap = out.file(BOOTSTRAP) ?? '';
    const lines = bootstrap.split('\n').filter(l => !l.trim().startsWith('#'));
    const policies = new Set(
      lines.map(l => /vault policy write (\S+)/.exec(l)?.[1]).filter(Boolean),
    );
    const violations: string[] = [];
    for (const store of stores) {
      const auth = store.spec.provider.vault.auth.kubernetes;
      const mount = auth.mountPath ?? 'kubernetes';
      const account = auth.serviceAccountRef?.name;
      const namespace = store.metadata.namespace ?? 'default';
      const where = `${store.kind} ${store.metadata.name}`;
      const roleLine = lines.find(l =>
        l.includes(`vault write auth/${mount}/role/${auth.role} `),
      );
      if (!roleLine) {
        violations.push(
          `${where}: Kubernetes auth role ${auth.role} is created nowhere (${BOOTSTRAP})`,
        );
      } else {
        if (
          !argValues(roleLine, 'bound_service_account_names').includes(account)
        )
          violations.push(
            `${where}: role ${auth.role} is not bound to service account ${account}`,
          );
        if (
          !argValues(roleLine, 'bound_service_account_namespaces').includes(
            namespace,
          )
        )
          violations.push(
            `${where}: role ${auth.role} is not bound to namespace ${namespace}`,
          );
        if (!argValues(roleLine, 'policies').some(p => policies.has(p)))
          violations.push(
            `${where}: role ${auth.role} carries no policy the bootstrap writes`,
          );
      }
      if (
        !lines.some(l => l.includes(`auth enable`) && l.includes('kubernetes'))
      )
        violations.push(
          `${where}: the bootstrap never enables the kubernetes auth method`,
        );
      const objects = out.kubernetesObjects();
      if (
        !objects.some(
          o =>
            o.kind === 'ServiceAccount' &&
            o.metadata.name === account &&
            o.metadata.namespace === namespace,
        )
      ) {
        violations.push(
          `${where}: service account ${account} does not exist in ${namespace}`,
        );
      }
      const delegated = objects.some(
        o =>
          o.kind === 'ClusterRoleBinding' &&
          (o as any).roleRef?.name === 'system:auth-delegator' &&
          ((o as any).subjects ?? []).some(
            (s: any) =>
              s.kind === 'ServiceAccount' &&
              s.name === account &&
              s.namespace === namespace,
          ),
      );
      if (!delegated)
        violations.push(
          `${where}: ${account} may not create TokenReviews (no system:auth-delegator binding): Vault cannot verify its login`,
        );
    }
    return violations;
  },
};
