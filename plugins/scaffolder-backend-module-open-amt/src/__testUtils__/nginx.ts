/**
 * The real nginx (Debian package `nginx`, /usr/sbin/nginx) serving one server block, unprivileged, on a free
 * loopback port. The server block is what the Web UI container reads at /etc/nginx/conf.d/default.conf; the image's
 * /etc/nginx/nginx.conf includes it inside `http {}` with mime.types and default_type application/octet-stream, which
 * the wrapper below does too. The only changes to the server block (`adaptForTest`): its `listen` lines become one
 * `listen 127.0.0.1:<port>` (port 80 and [::] need root / IPv6 here) and the image's web root path becomes the
 * test's directory. pid, error log and temp paths go to the test's directory (Debian's are under /var, root's).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import {
  chownSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  canConnect,
  freePort,
} from '@open-amt-backstage/plugin-open-amt-test-utils';

export const NGINX = '/usr/sbin/nginx';
const IMAGE_WEB_ROOT = '/usr/share/nginx/html';
/** Run as root (CI), nginx would hand its workers to `nobody` anyway: run all of it as nobody instead, unprivileged. */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** The documented transformation: listen on the test's loopback port, serve the test's web root. Nothing else. */
export function adaptForTest(
  serverBlock: string,
  port: number,
  webRoot: string,
): string {
  let first = true;
  const adapted = serverBlock
    .replace(/^([ \t]*)listen\s[^;]*;[^\n]*$/gm, (_m, indent: string) => {
      const line = first ? `${indent}listen 127.0.0.1:${port};` : '';
      first = false;
      return line;
    })
    .split(IMAGE_WEB_ROOT)
    .join(webRoot);
  if (first) throw new Error('the server block has no listen directive');
  return adapted;
}

export interface NginxHandle {
  port: number;
  get(path: string): Promise<{ status: number; body: string; type?: string }>;
  stop(): Promise<void>;
}

/** The image's http context around `<dir>/server.conf`, with pid and temp paths in `dir`. */
function mainConfig(dir: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map(t => `    ${t}_temp_path ${join(dir, t)};`)
    .join('\n');
  return `pid ${join(dir, 'nginx.pid')};
worker_processes 1;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
${temp}
    include ${join(dir, 'server.conf')};
}
`;
}

const tested = new Map<string, string>();

/** `nginx -t` over a server block as written (binds nothing, so `listen 80` is fine); '' when valid. Cached by text. */
export function nginxSyntaxCheck(serverBlock: string): string {
  let result = tested.get(serverBlock);
  if (result === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'nginx-t-'));
    try {
      writeFileSync(join(dir, 'server.conf'), serverBlock);
      writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
      const r = spawnSync(
        NGINX,
        [
          '-t',
          '-q',
          '-p',
          dir,
          '-c',
          join(dir, 'nginx.conf'),
          '-e',
          join(dir, 'error.log'),
        ],
        { encoding: 'utf8' },
      );
      result =
        r.status === 0 ? '' : `${r.error?.message ?? ''}${r.stderr}`.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    tested.set(serverBlock, result);
  }
  return result;
}

/**
 * `webRoot` must be readable by others (the workers' user): the caller makes it 0755. A port found free may be taken
 * before nginx binds it (other tests run in parallel): then another one is tried.
 */
export async function startNginx(
  serverBlock: string,
  webRoot: string,
): Promise<NginxHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(serverBlock, webRoot, await freePort());
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String(error)))
        throw error;
    }
  }
}

async function startOnce(
  serverBlock: string,
  webRoot: string,
  port: number,
): Promise<NginxHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'));
  writeFileSync(
    join(dir, 'server.conf'),
    adaptForTest(serverBlock, port, webRoot),
  );
  writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
  const errorLog = join(dir, 'error.log');
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  const child: ChildProcess = spawn(
    NGINX,
    [
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
      '-e',
      errorLog,
      '-g',
      'daemon off;',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    },
  );
  let stderr = '';
  child.stderr!.on('data', d => (stderr += String(d)));
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const log = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  // Wait for the condition (the port accepts), never a fixed time; a dead nginx ends the wait with its error log.
  while (!(await canConnect(port))) {
    if (gone) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx exited: ${stderr}${log()}`);
    }
    await new Promise(r => setTimeout(r, 20));
  }
  return {
    port,
    get: path =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path, method: 'GET' },
          res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', c => (body += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                body,
                type: res.headers['content-type'],
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      }),
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
