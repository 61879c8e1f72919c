/**
 * Whether the files a container reads its certificate from exist when it starts: on compose a bind mount whose source
 * scripts/resolve-secrets.sh writes (or a file of the repository); on Kubernetes a mounted Secret volume whose Secret
 * an ExternalSecret (or a Secret object) of the manifests produces with that key.
 */
import type { K8sObject, RenderedOutput } from '../output';

export function composeFileProblem(
  out: RenderedOutput,
  service: Record<string, any>,
  file: string,
): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [src, dst] = String(volume).split(':');
    if (!src.startsWith('.') || (file !== dst && !file.startsWith(`${dst}/`)))
      continue;
    const rel = `${src.replace(/^\.\//, '')}${file.slice(dst.length)}`;
    if (rel.startsWith('secrets/'))
      return (out.file('scripts/resolve-secrets.sh') ?? '').includes(rel)
        ? undefined
        : `${file} is mounted from ${rel}, which scripts/resolve-secrets.sh never writes`;
    return out.files.some(f => f.path === rel)
      ? undefined
      : `${file} is mounted from ${rel}, which is not in the repository`;
  }
  return `${file} is mounted from nowhere`;
}

function secretKeys(objects: K8sObject[], name: string): string[] | undefined {
  const secret = objects.find(
    o => o.kind === 'Secret' && o.metadata.name === name,
  );
  if (secret)
    return [
      ...Object.keys(secret.data ?? {}),
      ...Object.keys(secret.stringData ?? {}),
    ];
  const external = objects.find(
    o =>
      o.kind === 'ExternalSecret' &&
      (o.spec?.target?.name ?? o.metadata.name) === name,
  );
  if (!external) return undefined;
  const template = external.spec?.target?.template?.data;
  if (template) return Object.keys(template);
  return (external.spec?.data ?? []).map((d: any) => d.secretKey);
}

export function podFileProblem(
  objects: K8sObject[],
  pod: any,
  container: any,
  file: string,
): string | undefined {
  const mount = (container.volumeMounts ?? []).find(
    (m: any) => file === m.mountPath || file.startsWith(`${m.mountPath}/`),
  );
  if (!mount) return `${file} is mounted from nowhere`;
  const volume = (pod.volumes ?? []).find((v: any) => v.name === mount.name);
  const secretName = volume?.secret?.secretName;
  if (!secretName)
    return `${file}: volume ${mount.name} is not a Secret the manifests provide`;
  const rel = file.slice(mount.mountPath.length).replace(/^\//, '');
  const items: Array<{ key: string; path: string }> | undefined =
    volume.secret.items;
  const key = items ? items.find(i => i.path === rel)?.key : rel;
  if (key === undefined)
    return `${file}: Secret volume ${mount.name} maps no key to ${rel}`;
  const keys = secretKeys(objects, secretName);
  if (!keys)
    return `${file}: no ExternalSecret or Secret of the manifests creates Secret ${secretName}`;
  return keys.includes(key)
    ? undefined
    : `${file}: Secret ${secretName} has no key ${key}`;
}
