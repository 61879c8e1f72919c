/**
 * What each database client does with a connection string (and, for RPS, its RPS_POSTGRES_SSL_* variables):
 * - node-postgres (MPS, RPS; pg-connection-string 2.x): sslmode disable → no TLS; no-verify → TLS, nothing checked;
 *   prefer / require / verify-ca / verify-full → chain and host name checked (its libpq-compat switch aside);
 *   sslrootcert=<file> is read as the CA, else Node's bundled roots; no sslmode → no TLS, unless RPS sets TLS up
 *   itself from RPS_POSTGRES_SSL_CA / _REJECT_UNAUTHORIZED (which a URL sslmode overrides).
 * - lib/pq (mps-router): disable → no TLS; require → TLS unchecked, or chain-only when sslrootcert is given;
 *   verify-ca → chain; verify-full → chain and host name; sslrootcert or the image's system roots; no-verify and
 *   unknown modes are refused at start-up.
 * Sources: shared/reference/open-amt-traffic.md §5; pg-connection-string README (sslmode, uselibpqcompat); lib/pq
 * conn.go (ssl modes).
 */
export type DatabaseClientName = 'node-postgres' | 'lib/pq';

export type TlsBehaviour =
  | { startup: 'refused'; why: string }
  | { startup: 'ok'; tls: false }
  | {
      startup: 'ok';
      tls: true;
      verifiesChain: boolean;
      verifiesHost: boolean;
      caFile?: string;
    };

export function clientTls(
  client: DatabaseClientName,
  url: string,
  env: Record<string, string | undefined> = {},
): TlsBehaviour {
  const params = new URL(url).searchParams;
  const mode = params.get('sslmode') ?? undefined;
  const caFile = params.get('sslrootcert') ?? undefined;
  if (client === 'node-postgres') {
    if (mode === undefined) {
      if (env.RPS_POSTGRES_SSL_CA) {
        const verify = env.RPS_POSTGRES_SSL_REJECT_UNAUTHORIZED !== 'false';
        return {
          startup: 'ok',
          tls: true,
          verifiesChain: verify,
          verifiesHost: verify,
          caFile: env.RPS_POSTGRES_SSL_CA,
        };
      }
      return { startup: 'ok', tls: false };
    }
    if (mode === 'disable') return { startup: 'ok', tls: false };
    if (mode === 'no-verify')
      return {
        startup: 'ok',
        tls: true,
        verifiesChain: false,
        verifiesHost: false,
      };
    return {
      startup: 'ok',
      tls: true,
      verifiesChain: true,
      verifiesHost: true,
      caFile,
    };
  }
  switch (mode) {
    case 'disable':
      return { startup: 'ok', tls: false };
    case 'require':
      return {
        startup: 'ok',
        tls: true,
        verifiesChain: Boolean(caFile),
        verifiesHost: false,
        caFile,
      };
    case 'verify-ca':
      return {
        startup: 'ok',
        tls: true,
        verifiesChain: true,
        verifiesHost: false,
        caFile,
      };
    case 'verify-full':
      return {
        startup: 'ok',
        tls: true,
        verifiesChain: true,
        verifiesHost: true,
        caFile,
      };
    default:
      return {
        startup: 'refused',
        why: `lib/pq refuses sslmode=${mode ?? '(none)'}`,
      };
  }
}
