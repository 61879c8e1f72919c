/**
 * What `kubectl kustomize kubernetes/` (kustomize v5, the one `kubectl apply -k` runs) makes of our kustomization:
 * the resources in order of the kustomization, the `namespace` set on every namespaced object, and empty
 * `metadata.labels` / `metadata.annotations` maps dropped. Only the fields we render are modelled: any other
 * kustomization field (generators with name hashes, patches, labels, images …) throws, so a renderer that starts
 * using one must extend this model. kustomize.test.ts compares the model with the real kubectl on a sample.
 */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  [key: string]: any;
};

/** Kinds kustomize knows as cluster-scoped among those we render (every other kind, CRDs included, is namespaced). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
]);

const MODELLED = new Set(['apiVersion', 'kind', 'namespace', 'resources']);

export function kustomize(
  kustomization: Record<string, any> | undefined,
  load: (resource: string) => unknown[],
): K8sObject[] {
  if (!kustomization) return [];
  const unmodelled = Object.keys(kustomization).filter(k => !MODELLED.has(k));
  if (unmodelled.length)
    throw new Error(
      `kustomization.yaml: ${unmodelled.join(
        ', ',
      )} not modelled (kustomize.ts)`,
    );
  const namespace: string | undefined = kustomization.namespace;
  return (kustomization.resources ?? [])
    .flatMap((r: string) => load(r))
    .filter((o: unknown): o is K8sObject =>
      Boolean(o && typeof o === 'object' && 'kind' in o),
    )
    .map((o: K8sObject) => {
      const metadata = { ...o.metadata };
      for (const key of ['labels', 'annotations'] as const)
        if (metadata[key] && !Object.keys(metadata[key]!).length)
          delete metadata[key];
      if (namespace && !CLUSTER_SCOPED.has(o.kind))
        metadata.namespace = namespace;
      return { ...o, metadata };
    });
}
