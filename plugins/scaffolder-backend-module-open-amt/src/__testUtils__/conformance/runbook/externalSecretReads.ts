/**
 * What External Secrets reads from the store once `kubectl apply -k kubernetes/` ran: every ExternalSecret's
 * remoteRef, as a stand-in store key, through its SecretStore's provider (ESO provider docs: Vault KV v2 reads
 * `<path>/data/<key>` of `server`; Azure Key Vault reads the secret `<key>` (an optional `secret/` prefix names the
 * object type) of `vaultUrl`; AWS Secrets Manager reads the secret `<key>` in `region`).
 */
import type { RenderedOutput } from '../output';

export interface ExternalSecretRead {
  externalSecret: string;
  key: string;
  property?: string;
}

function storeKey(provider: any, key: string): string | undefined {
  if (provider?.vault) return `vault:${provider.vault.path}/${key}`;
  if (provider?.azurekv)
    return `azure:${
      new URL(provider.azurekv.vaultUrl).hostname.split('.')[0]
    }/${key.replace(/^secret\//, '')}`;
  if (provider?.aws) return `aws:${provider.aws.region}/${key}`;
  return undefined;
}

export function externalSecretReads(out: RenderedOutput): ExternalSecretRead[] {
  const objects = out.kubernetesObjects();
  const reads: ExternalSecretRead[] = [];
  for (const es of objects.filter(o => o.kind === 'ExternalSecret')) {
    const ref = es.spec?.secretStoreRef ?? {};
    const store = objects.find(
      o =>
        o.kind === (ref.kind ?? 'SecretStore') && o.metadata.name === ref.name,
    );
    for (const d of [
      ...(es.spec?.data ?? []),
      ...(es.spec?.dataFrom ?? []).map((f: any) => ({ remoteRef: f.extract })),
    ]) {
      const key =
        d.remoteRef?.key && storeKey(store?.spec?.provider, d.remoteRef.key);
      if (key)
        reads.push({
          externalSecret: es.metadata.name,
          key,
          property: d.remoteRef.property,
        });
    }
  }
  return reads;
}
