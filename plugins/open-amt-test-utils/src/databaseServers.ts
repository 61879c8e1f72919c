/**
 * Throwaway database servers with TLS, for tests that must not reconfigure the machine's shared ones: a private CA
 * (openssl), a server certificate it signs, and a PostgreSQL (initdb + pg_ctl) or MariaDB (mariadb-install-db +
 * mariadbd) instance in a temporary directory on a free loopback port that accepts TLS connections only. Run as root
 * (CI), the servers run as the packages' own users (postgres, mysql), which they require. Readiness is a condition
 * (pg_ctl -w; a successful connection for MariaDB), never a fixed wait.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './ports';

export interface TestCa {
  /** PEM of the CA certificate: what a client must trust. */
  ca: string;
  /** A certificate (PEM) and key for these host names / IP addresses, signed by the CA. */
  issue(hosts: string[]): { cert: string; key: string };
}

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A private CA generated with openssl in a temporary directory (removed once the CA is made). */
export function createTestCa(name = 'open-amt test database CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'test-ca-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const caKey = readFileSync(join(dir, 'ca.key'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return {
    ca,
    issue(hosts) {
      const work = mkdtempSync(join(tmpdir(), 'test-cert-'));
      try {
        writeFileSync(join(work, 'ca.pem'), ca);
        writeFileSync(join(work, 'ca.key'), caKey, { mode: 0o600 });
        const san = hosts
          .map(h => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`))
          .join(',');
        writeFileSync(
          join(work, 'ext.cnf'),
          `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
        );
        openssl(
          [
            'req',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-keyout',
            'server.key',
            '-out',
            'server.csr',
            '-subj',
            `/CN=${hosts[0]}`,
          ],
          work,
        );
        openssl(
          [
            'x509',
            '-req',
            '-in',
            'server.csr',
            '-CA',
            'ca.pem',
            '-CAkey',
            'ca.key',
            '-CAcreateserial',
            '-out',
            'server.crt',
            '-days',
            '2',
            '-extfile',
            'ext.cnf',
          ],
          work,
        );
        return {
          cert: readFileSync(join(work, 'server.crt'), 'utf8'),
          key: readFileSync(join(work, 'server.key'), 'utf8'),
        };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}

export interface TlsDatabaseServer {
  host: '127.0.0.1';
  port: number;
  /** Administrator login (no password: trust/socket-free local auth over TLS). */
  adminUser: string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function userIds(name: string): { uid: number; gid: number } | undefined {
  if (!asRoot) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function chownTree(path: string, ids?: { uid: number; gid: number }) {
  if (!ids) return;
  chownSync(path, ids.uid, ids.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) chownTree(p, ids);
    else chownSync(p, ids.uid, ids.gid);
  }
}

function run(
  cmd: string,
  args: string[],
  ids?: { uid: number; gid: number },
): string {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(ids ?? {}),
  });
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter(v => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions.length)
    throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** Writes the server's certificate and key where the server user alone reads them. */
function writeTlsFiles(
  dir: string,
  tls: { cert: string; key: string },
  ids?: { uid: number; gid: number },
) {
  writeFileSync(join(dir, 'server.crt'), tls.cert);
  writeFileSync(join(dir, 'server.key'), tls.key, { mode: 0o600 });
  if (ids)
    for (const f of ['server.crt', 'server.key'])
      chownSync(join(dir, f), ids.uid, ids.gid);
}

/**
 * PostgreSQL on a free port of 127.0.0.1 with ssl=on and this certificate; pg_hba accepts only `hostssl` (trust), so
 * a client that does not negotiate TLS is refused. Superuser `postgres`.
 */
export async function startTlsPostgres(tls: {
  cert: string;
  key: string;
}): Promise<TlsDatabaseServer> {
  const bin = postgresBin();
  const ids = userIds('postgres');
  const dir = mkdtempSync(join(tmpdir(), 'tls-postgres-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  chownTree(dir, ids);
  run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    ids,
  );
  writeTlsFiles(dir, tls, ids);
  writeFileSync(
    join(data, 'pg_hba.conf'),
    'local all all trust\nhostssl all all 127.0.0.1/32 trust\n',
  );
  let lastError: unknown;
  // A port found free may be taken before the server binds it (other tests run in parallel): try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'ssl = on',
        `ssl_cert_file = '${join(dir, 'server.crt')}'`,
        `ssl_key_file = '${join(dir, 'server.key')}'`,
        'fsync = off',
        '',
      ].join('\n'),
    );
    if (ids) chownSync(join(data, 'postgresql.auto.conf'), ids.uid, ids.gid);
    try {
      // -w: pg_ctl returns once the server accepts connections (it polls), or fails after -t seconds.
      run(
        join(bin, 'pg_ctl'),
        ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start'],
        ids,
      );
      return {
        host: '127.0.0.1',
        port,
        adminUser: 'postgres',
        stop: async () => {
          try {
            run(
              join(bin, 'pg_ctl'),
              ['-D', data, '-m', 'immediate', '-w', 'stop'],
              ids,
            );
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  let log = '';
  try {
    log = readFileSync(join(dir, 'server.log'), 'utf8');
  } catch {
    // no log written
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`PostgreSQL did not start: ${String(lastError)}\n${log}`);
}

/**
 * MariaDB on a free port of 127.0.0.1 with this certificate, every account created REQUIRE SSL by
 * `require_secure_transport`. Administrator `root` without a password over TCP.
 */
export async function startTlsMariadb(tls: {
  cert: string;
  key: string;
}): Promise<TlsDatabaseServer> {
  const ids = userIds('mysql');
  const dir = mkdtempSync(join(tmpdir(), 'tls-mariadb-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  chownTree(dir, ids);
  writeTlsFiles(dir, tls, ids);
  run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...(ids ? ['--user=mysql'] : []),
  ]);
  // A port found free may be taken before mariadbd binds it (other tests run in parallel): try another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--ssl-cert=${join(dir, 'server.crt')}`,
        `--ssl-key=${join(dir, 'server.key')}`,
        '--require-secure-transport=ON',
        '--skip-log-bin',
        ...(ids ? ['--user=mysql'] : []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', d => (stderr += String(d)));
    let gone = false;
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => {
        gone = true;
        resolve();
      }),
    );
    // Ready when it accepts connections (a condition, polled), or failed when it exits.
    while (!gone && !(await canConnect(port)))
      await new Promise(r => setTimeout(r, 50));
    if (gone) {
      if (
        attempt < 3 &&
        /Bind on TCP\/IP port|Address already in use/.test(stderr)
      )
        continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadbd exited: ${stderr}`);
    }
    return {
      host: '127.0.0.1',
      port,
      adminUser: 'root',
      stop: async () => {
        if (!gone) child.kill('SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
