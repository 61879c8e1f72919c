import { isWorkload, RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

/**
 * Facts of the sample-web-ui image (v3.27.4 and v3.61.1, Dockerfile): nginx:mainline-alpine-slim, the build copied
 * to the web root, init.sh in /docker-entrypoint.d rewriting `<web root>/*.js` with `sed -i` at start, no nginx
 * configuration of its own. Upstream mounts its server block over the packaged default.conf (deployment repository
 * v2.26.0/v2.37.0 docker-compose.yml:21, kubernetes/charts/templates/webui.yaml ConfigMap + subPath mount).
 */
const CONF_PATH = '/etc/nginx/conf.d/default.conf';
const CONF_DIR = '/etc/nginx/conf.d';
const WEB_ROOT = '/usr/share/nginx/html';

/** The Web UI's nginx configuration as the container sees it: where it comes from and its text, or why there is none. */
export type MountedWebUiConfig =
  | { from: string; content: string }
  | { missing: string };

const under = (path: string, dir: string) =>
  path === dir || path.startsWith(`${dir}/`);

function fromCompose(
  out: RenderedOutput,
  webui: Record<string, any>,
): MountedWebUiConfig {
  const binds: string[] = (webui.volumes ?? []).map((v: unknown) =>
    typeof v === 'string' ? v : `${(v as any)?.source}:${(v as any)?.target}`,
  );
  const bind = binds
    .map(v => v.split(':'))
    .find(([, target]) => target === CONF_PATH);
  if (!bind)
    return {
      missing: `docker-compose.yml: webui mounts nothing at ${CONF_PATH}: nginx serves its packaged default.conf (a deep link answers 404)`,
    };
  const file = bind[0].replace(/^\.\//, '');
  const content = out.file(file);
  if (content === undefined)
    return {
      missing: `docker-compose.yml: webui mounts ./${file} at ${CONF_PATH}, which the deployment repository does not contain (docker creates an empty directory there and nginx fails)`,
    };
  return { from: file, content };
}

function fromKubernetes(out: RenderedOutput): MountedWebUiConfig {
  const deployment = out
    .kubernetesObjects()
    .find(o => isWorkload(o) && o.metadata.name === 'webui');
  const where = 'kubernetes/webui.yaml';
  if (!deployment) return { missing: `${where}: no webui Deployment` };
  const pod = deployment.spec?.template?.spec ?? {};
  const mounts: any[] = pod.containers?.[0]?.volumeMounts ?? [];
  // The file itself (subPath), or the whole conf.d directory holding default.conf.
  const mount = mounts.find(
    m =>
      (m.mountPath === CONF_PATH && m.subPath) ||
      (m.mountPath === CONF_DIR && !m.subPath),
  );
  if (!mount)
    return {
      missing: `${where}: webui mounts nothing at ${CONF_PATH}: nginx serves its packaged default.conf (a deep link answers 404)`,
    };
  const key: string = mount.subPath ?? 'default.conf';
  const volume = (pod.volumes ?? []).find((v: any) => v.name === mount.name);
  const mapName = volume?.configMap?.name;
  if (!mapName)
    return {
      missing: `${where}: the volume ${mount.name} mounted at ${mount.mountPath} is not a ConfigMap volume`,
    };
  const items: Array<{ key: string; path: string }> | undefined =
    volume.configMap.items;
  const dataKey = items ? items.find(i => i.path === key)?.key : key;
  const map = out
    .kubernetesObjects()
    .find(o => o.kind === 'ConfigMap' && o.metadata.name === mapName);
  const content = dataKey ? map?.data?.[dataKey] : undefined;
  if (typeof content !== 'string')
    return {
      missing: `${where}: ConfigMap ${mapName} (applied by the kustomization) has no entry giving ${key}: the pod never starts (or nginx reads nothing)`,
    };
  return { from: `ConfigMap ${mapName} key ${dataKey}`, content };
}

/** The Web UI's mounted nginx configuration of a rendered deployment (the real-nginx test serves every distinct one). */
export function mountedWebUiConfig(out: RenderedOutput): MountedWebUiConfig {
  const compose = out.composeServices();
  if (compose) {
    const webui = compose.webui;
    if (!webui) return { missing: 'docker-compose.yml: no webui service' };
    return fromCompose(out, webui);
  }
  return fromKubernetes(out);
}

/** init.sh rewrites the bundle in place: a read-only root or anything mounted over the web root breaks the start. */
function webRootWritable(out: RenderedOutput): string[] {
  const compose = out.composeServices();
  if (compose) {
    const webui = compose.webui ?? {};
    const violations: string[] = [];
    if (webui.read_only)
      violations.push(
        `docker-compose.yml: webui is read_only: init.sh cannot rewrite ${WEB_ROOT}/*.js (sed -i)`,
      );
    for (const v of webui.volumes ?? []) {
      const target = typeof v === 'string' ? v.split(':')[1] : v?.target;
      if (target && under(target, WEB_ROOT))
        violations.push(
          `docker-compose.yml: webui mounts ${target}, hiding or freezing the bundle init.sh rewrites`,
        );
    }
    return violations;
  }
  const deployment = out
    .kubernetesObjects()
    .find(o => isWorkload(o) && o.metadata.name === 'webui');
  const container = deployment?.spec?.template?.spec?.containers?.[0] ?? {};
  const violations: string[] = [];
  if (container.securityContext?.readOnlyRootFilesystem)
    violations.push(
      `kubernetes/webui.yaml: readOnlyRootFilesystem: init.sh cannot rewrite ${WEB_ROOT}/*.js (sed -i)`,
    );
  for (const m of container.volumeMounts ?? [])
    if (under(m.mountPath, WEB_ROOT))
      violations.push(
        `kubernetes/webui.yaml: webui mounts ${m.mountPath}, hiding or freezing the bundle init.sh rewrites`,
      );
  return violations;
}

export const webUiNginxRule: ConformanceRule = {
  id: 'serving.webui-nginx',
  fact:
    "The Web UI image's nginx reads its server block from /etc/nginx/conf.d/default.conf and has none of its own: " +
    'the deployment must mount one there (a file in the repository on compose, a ConfigMap key on Kubernetes) or ' +
    'every deep link answers 404; its content is the one webuiNginx.test.ts serves with the real nginx (SPA ' +
    'fallback). init.sh rewrites the bundle with sed -i at start, so the web root stays writable and unmounted.',
  source:
    'sample-web-ui v3.27.4/v3.61.1 Dockerfile (FROM nginx:mainline-alpine-slim, COPY build and init.sh), init.sh; ' +
    'deployment v2.26.0/v2.37.0 docker-compose.yml:21 and kubernetes/charts/templates/webui.yaml; real nginx 1.22 in webuiNginx.test.ts',
  check(out) {
    const mounted = mountedWebUiConfig(out);
    const violations = webRootWritable(out);
    if ('missing' in mounted) violations.push(mounted.missing);
    else if (!/\bserver\s*\{/.test(mounted.content))
      violations.push(
        `${mounted.from}: mounted at ${CONF_PATH} but holds no server block`,
      );
    return violations;
  },
};
