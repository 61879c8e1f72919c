/**
 * The Web UI's nginx configuration, served by the real nginx: every distinct configuration any combination of any
 * release mounts (serving.webui-nginx finds it as the container does) is started with `nginx -g 'daemon off;'` over a web
 * root laid out like the image's (the Angular build: index.html, hashed bundles, assets/; the nginx base image's
 * 50x.html). What upstream does, read from its nginx.conf (deployment v2.26.0/v2.37.0 nginx.conf:8-13, the same
 * file in sample-web-ui v3.27.4/v3.61.1): `location /` with `error_page 404 /index.html`, so every missing path,
 * route or file, gets index.html under status 404. We keep that for a missing file (404, index.html as body) and
 * serve the app's routes with 200.
 */
import {
  parseDeploymentSpec,
  TOOLKIT_RELEASE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderDeployment } from '../../render';
import { NGINX, NginxHandle, nginxSyntaxCheck, startNginx } from '../nginx';
import { allCombinations, specFor } from '../specs';
import { inject, rendered } from './fixtures';
import { RenderedOutput } from './output';
import { gatewayTrafficRule } from './rules/gatewayTraffic';
import { mountedWebUiConfig, webUiNginxRule } from './rules/webUiNginx';

const GUID = '4c4c4544-004b-4210-8033-b6c04f504633';
const INDEX =
  '<!doctype html><html><head><base href="/"></head><body><app-root></app-root>' +
  '<script src="main.3f9a1c2b7d6e5f40.js" type="module"></script></body></html>\n';
const MAIN = 'const environment={mpsServer:"##MPS_SERVER##"};\n';
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg"/>\n';

let webRoot: string;
/** Every distinct mounted configuration → the combinations mounting it. */
const configs = new Map<string, string[]>();

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'webui-'));
  chmodSync(root, 0o755);
  webRoot = join(root, 'html');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), INDEX);
  writeFileSync(join(webRoot, 'main.3f9a1c2b7d6e5f40.js'), MAIN);
  writeFileSync(join(webRoot, 'styles.9e8d7c6b5a4f3e2d.css'), 'body{}\n');
  writeFileSync(join(webRoot, 'assets', 'logo.svg'), LOGO);
  writeFileSync(join(webRoot, '50x.html'), '<h1>error</h1>\n');
  for (const release of TOOLKIT_RELEASE_IDS)
    for (const c of allCombinations()) {
      const spec = parseDeploymentSpec({
        ...specFor(c),
        toolkitRelease: release,
      });
      const mounted = mountedWebUiConfig(
        new RenderedOutput(spec, renderDeployment(spec)),
      );
      if ('missing' in mounted)
        throw new Error(`${spec.name}: ${mounted.missing}`);
      configs.set(mounted.content, [
        ...(configs.get(mounted.content) ?? []),
        `${release} ${spec.name}`,
      ]);
    }
});

afterAll(() => rmSync(join(webRoot, '..'), { recursive: true, force: true }));

const running: NginxHandle[] = [];
afterAll(async () => {
  await Promise.all(running.map(n => n.stop()));
});

async function serve(config: string): Promise<NginxHandle> {
  const nginx = await startNginx(config, webRoot);
  running.push(nginx);
  return nginx;
}

describe('the Web UI behind real nginx', () => {
  it('nginx is installed (.ci/run installs the Debian package)', () => {
    expect(existsSync(NGINX)).toBe(true);
  });

  it('nginx -t (the validators of every rendered .conf) accepts the rendered block and rejects a broken one', () => {
    for (const config of configs.keys())
      expect(nginxSyntaxCheck(config)).toBe('');
    expect(nginxSyntaxCheck('server { listen 80; try_files; }')).toMatch(
      /invalid number of arguments in "try_files"/,
    );
  });

  it('every combination of every release mounts a configuration (one text for all)', () => {
    expect(configs.size).toBeGreaterThan(0);
    expect([...configs.values()].flat()).toHaveLength(
      allCombinations().length * TOOLKIT_RELEASE_IDS.length,
    );
  });

  it('serves the app for its routes, the build for its files, 404 for a missing file', async () => {
    for (const config of configs.keys()) {
      const nginx = await serve(config);
      for (const path of [
        '/',
        `/devices/${GUID}`,
        '/profiles',
        '/profiles/new',
      ]) {
        const r = await nginx.get(path);
        expect({ path, status: r.status, body: r.body }).toEqual({
          path,
          status: 200,
          body: INDEX,
        });
      }
      const main = await nginx.get('/main.3f9a1c2b7d6e5f40.js');
      expect(main).toMatchObject({ status: 200, body: MAIN });
      expect(main.type).toMatch(/javascript/);
      expect(await nginx.get('/assets/logo.svg')).toMatchObject({
        status: 200,
        body: LOGO,
      });
      // Upstream's answer for a missing file: 404 (index.html as the body, from error_page 404 /index.html).
      const missing = await nginx.get('/main.abc.js');
      expect(missing.status).toBe(404);
      expect(missing.body).toBe(INDEX);
      expect((await nginx.get('/assets/missing.png')).status).toBe(404);
    }
  });

  it('without the fallback the real nginx answers a deep link with 404 (the assertion above would fail)', async () => {
    const [config] = configs.keys();
    const dropped = config.replace(/^[ \t]*try_files[^\n]*\n/gm, '');
    expect(dropped).not.toBe(config);
    const nginx = await serve(dropped);
    expect((await nginx.get(`/devices/${GUID}`)).status).toBe(404);
  });
});

describe(`${webUiNginxRule.id} fails on the defect it guards`, () => {
  const check = (out: RenderedOutput) => webUiNginxRule.check(out).join('\n');
  const compose = rendered({
    database: 'postgresql',
    secrets: 'vault',
    gateway: 'kong',
    target: 'compose',
  });
  const k8s = rendered({
    database: 'amazon-rds-postgresql',
    secrets: 'aws-kms',
    gateway: 'aws-api-gateway',
    target: 'eks',
  });

  it('conforms as rendered', () => {
    expect(check(compose)).toBe('');
    expect(check(k8s)).toBe('');
  });

  it('compose: the configuration unmounted, or mounted from a file the repository lacks', () => {
    const unmounted = inject(
      compose,
      'docker-compose.yml',
      /\n\s+volumes:\n\s+- "\.\/webui\/nginx\.conf:[^\n]*/,
      '',
    );
    expect(check(unmounted)).toMatch(
      /webui mounts nothing at \/etc\/nginx\/conf\.d\/default\.conf/,
    );
    const renamed = inject(
      compose,
      'docker-compose.yml',
      './webui/nginx.conf',
      './nginx.conf',
    );
    expect(check(renamed)).toMatch(/does not contain/);
  });

  it('compose: the web root read-only or mounted over', () => {
    const readOnly = inject(
      compose,
      'docker-compose.yml',
      /(\n {2}webui:\n)/,
      '$1    read_only: true\n',
    );
    expect(check(readOnly)).toMatch(/webui is read_only/);
    const over = inject(
      compose,
      'docker-compose.yml',
      '- "./webui/nginx.conf:/etc/nginx/conf.d/default.conf:ro"',
      '- "./webui/nginx.conf:/etc/nginx/conf.d/default.conf:ro"\n      - "./html:/usr/share/nginx/html:ro"',
    );
    expect(check(over)).toMatch(/mounts \/usr\/share\/nginx\/html/);
  });

  it('Kubernetes: no mount, a ConfigMap without the key, a read-only root', () => {
    const unmounted = inject(
      k8s,
      'kubernetes/webui.yaml',
      /mountPath: \/etc\/nginx\/conf\.d\/default\.conf/,
      'mountPath: /etc/nginx/other.conf',
    );
    expect(check(unmounted)).toMatch(/webui mounts nothing at/);
    const noKey = inject(
      k8s,
      'kubernetes/webui.yaml',
      /\n {2}default\.conf: /,
      '\n  other.conf: ',
    );
    expect(check(noKey)).toMatch(/has no entry giving default\.conf/);
    const readOnly = inject(
      k8s,
      'kubernetes/webui.yaml',
      'allowPrivilegeEscalation: false',
      'allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true',
    );
    expect(check(readOnly)).toMatch(/readOnlyRootFilesystem/);
  });
});

describe(`${gatewayTrafficRule.id}: the deep link reaches the Web UI unchanged (rows S)`, () => {
  it('a gateway rewriting the path breaks the fallback: the Web UI would look up another file', () => {
    const kong = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'kong',
      target: 'compose',
    });
    const check = (out: RenderedOutput) =>
      gatewayTrafficRule.check(out).join('\n');
    expect(check(kong)).toBe('');
    const prefixed = inject(
      kong,
      'gateway/kong/kong.yaml',
      'url: "http://webui:80"',
      'url: "http://webui:80/ui"',
    );
    expect(check(prefixed)).toMatch(
      new RegExp(
        `S deep link → [^:]+: the service receives path /ui/devices/${GUID}, must receive /devices/${GUID}`,
      ),
    );
  });
});
