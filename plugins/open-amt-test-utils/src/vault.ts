import { randomUUID } from 'node:crypto';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';

/** A token the Vault stand-in accepts, with what lookup-self reports. */
export interface VaultTokenInfo {
  policies: string[];
  /** Remaining TTL in seconds; 0 = never expires (root tokens). */
  ttl: number;
  renewable: boolean;
  /** Path prefixes (without /v1/) this token gets 403 on — a least-privilege policy in miniature. */
  denyPaths?: string[];
}

interface KvVersion {
  data: Record<string, unknown> | null;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

interface KvEntry {
  versions: KvVersion[];
  created_time: string;
  updated_time: string;
}

export interface VaultState {
  initialized: boolean;
  sealed: boolean;
  standby: boolean;
  performanceStandby: boolean;
  drSecondary: boolean;
  /** A standby that lost its active node answers 474. */
  haConnectionHealthy: boolean;
  version: string;
  clusterName: string;
  clusterId: string;
  tokens: Record<string, VaultTokenInfo>;
  /** Secret engine mounts keyed like sys/mounts (`kv/`). */
  mounts: Record<
    string,
    {
      type: string;
      options?: { version?: string } | null;
      description?: string;
    }
  >;
  /** KV entries keyed `<mount>/<path>` without `data/` (e.g. `kv/open-amt/mps`). */
  kv: Record<string, KvEntry>;
}

export interface VaultServerOptions extends ContractServerOptions {
  rootToken?: string;
  /** KV v2 mount created at start (default `kv`). */
  kvMount?: string;
  state?: Partial<VaultState>;
}

export type VaultContractServer = ContractServer<VaultState> & {
  rootToken: string;
};

const now = () => new Date().toISOString();

function envelope(data: unknown, extra: Record<string, unknown> = {}) {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  };
}

const errors = (status: number, ...messages: string[]): ContractResponse => ({
  status,
  body: { errors: messages },
});
const flag = (q: URLSearchParams, name: string) =>
  q.get(name) === 'true' || q.get(name) === '1' || q.get(name) === '';
const code = (q: URLSearchParams, name: string, fallback: number) =>
  q.has(name) ? Number(q.get(name)) : fallback;

/** sys/health as documented: status code from the node's state, overridable by the documented query parameters. */
function health(req: ContractRequest, s: VaultState): ContractResponse {
  const q = req.query;
  const base = {
    server_time_utc: Math.floor(Date.now() / 1000),
    version: s.version,
    enterprise: false,
  };
  let status: number;
  let body: Record<string, unknown>;
  if (!s.initialized) {
    status = code(q, 'uninitcode', 501);
    body = {
      initialized: false,
      sealed: true,
      standby: true,
      performance_standby: false,
      replication_performance_mode: 'unknown',
      replication_dr_mode: 'unknown',
      ...base,
    };
  } else if (s.sealed) {
    status = code(q, 'sealedcode', 503);
    body = {
      initialized: true,
      sealed: true,
      standby: true,
      performance_standby: false,
      replication_performance_mode: 'unknown',
      replication_dr_mode: 'unknown',
      ...base,
    };
  } else {
    body = {
      initialized: true,
      sealed: false,
      standby: s.standby || s.performanceStandby,
      performance_standby: s.performanceStandby,
      replication_performance_mode: 'disabled',
      replication_dr_mode: s.drSecondary ? 'secondary' : 'disabled',
      ...base,
      cluster_name: s.clusterName,
      cluster_id: s.clusterId,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
    };
    if (s.drSecondary) status = code(q, 'drsecondarycode', 472);
    else if (s.performanceStandby)
      status = flag(q, 'perfstandbyok')
        ? code(q, 'activecode', 200)
        : code(q, 'performancestandbycode', 473);
    else if (s.standby) {
      body.ha_connection_healthy = s.haConnectionHealthy;
      body.last_request_forwarding_heartbeat_ms = s.haConnectionHealthy
        ? 120
        : 0;
      if (!s.haConnectionHealthy) status = code(q, 'haunhealthycode', 474);
      else
        status = flag(q, 'standbyok')
          ? code(q, 'activecode', 200)
          : code(q, 'standbycode', 429);
    } else status = code(q, 'activecode', 200);
  }
  return { status, body: req.method === 'HEAD' ? undefined : body };
}

function findMount(s: VaultState, path: string): string | undefined {
  return Object.keys(s.mounts)
    .filter(m => `${path}/`.startsWith(m))
    .sort((a, b) => b.length - a.length)[0];
}

function kvMetadata(entry: KvEntry) {
  const versions: Record<string, unknown> = {};
  entry.versions.forEach((v, i) => {
    versions[String(i + 1)] = {
      created_time: v.created_time,
      deletion_time: v.deletion_time,
      destroyed: v.destroyed,
    };
  });
  return {
    cas_required: false,
    created_time: entry.created_time,
    current_version: entry.versions.length,
    custom_metadata: null,
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: entry.versions.length ? 1 : 0,
    updated_time: entry.updated_time,
    versions,
  };
}

function versionMetadata(v: KvVersion, version: number) {
  return {
    created_time: v.created_time,
    custom_metadata: null,
    deletion_time: v.deletion_time,
    destroyed: v.destroyed,
    version,
  };
}

/** KV v2 data/ and metadata/ endpoints with check-and-set. */
function kv(
  req: ContractRequest,
  s: VaultState,
  mount: string,
  rest: string,
): ContractResponse {
  const mountName = mount.replace(/\/$/, '');
  const [kind, ...parts] = rest.split('/');
  const key = `${mountName}/${parts.join('/')}`.replace(/\/$/, '');
  const entry = s.kv[key];
  const isList =
    req.method === 'LIST' || (req.method === 'GET' && flag(req.query, 'list'));

  if (kind === 'data') {
    if (req.method === 'GET') {
      if (!entry || entry.versions.length === 0) return errors(404);
      const wanted =
        req.query.has('version') && Number(req.query.get('version')) > 0
          ? Number(req.query.get('version'))
          : entry.versions.length;
      const v = entry.versions[wanted - 1];
      if (!v) return errors(404);
      if (v.deletion_time || v.destroyed) {
        return {
          status: 404,
          body: envelope({ data: null, metadata: versionMetadata(v, wanted) }),
        };
      }
      return {
        status: 200,
        body: envelope({ data: v.data, metadata: versionMetadata(v, wanted) }),
      };
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const payload = req.json<{
        data?: Record<string, unknown>;
        options?: { cas?: number };
      }>();
      if (!payload?.data || typeof payload.data !== 'object')
        return errors(400, 'no data provided');
      const current = entry?.versions.length ?? 0;
      const cas = payload.options?.cas;
      if (cas !== undefined && cas !== current) {
        return errors(
          400,
          'check-and-set parameter did not match the current version',
        );
      }
      const created = now();
      const next: KvEntry = entry ?? {
        versions: [],
        created_time: created,
        updated_time: created,
      };
      next.versions.push({
        data: payload.data,
        created_time: created,
        deletion_time: '',
        destroyed: false,
      });
      next.updated_time = created;
      s.kv[key] = next;
      return {
        status: 200,
        body: envelope(
          versionMetadata(
            next.versions[next.versions.length - 1],
            next.versions.length,
          ),
        ),
      };
    }
    if (req.method === 'DELETE') {
      const latest = entry?.versions[entry.versions.length - 1];
      if (latest) latest.deletion_time = now();
      return { status: 204 };
    }
  }
  if (kind === 'metadata') {
    if (isList) {
      const prefix =
        key.endsWith('/') || parts.join('/') === '' ? key : `${key}/`;
      const keys = new Set<string>();
      for (const k of Object.keys(s.kv)) {
        if (k.startsWith(prefix)) {
          const rem = k.slice(prefix.length);
          keys.add(rem.includes('/') ? `${rem.split('/')[0]}/` : rem);
        }
      }
      if (keys.size === 0) return errors(404);
      return { status: 200, body: envelope({ keys: [...keys].sort() }) };
    }
    if (req.method === 'GET') {
      if (!entry) return errors(404);
      return { status: 200, body: envelope(kvMetadata(entry)) };
    }
    if (req.method === 'DELETE') {
      delete s.kv[key];
      return { status: 204 };
    }
  }
  return errors(405, `unsupported operation on ${mountName}/${kind}`);
}

function handle(req: ContractRequest, s: VaultState): ContractResponse {
  if (!req.path.startsWith('/v1/')) return errors(404, 'no handler for route');
  const path = req.path.slice('/v1/'.length).replace(/\/$/, '');

  if (path === 'sys/health' && (req.method === 'GET' || req.method === 'HEAD'))
    return health(req, s);
  if (path === 'sys/seal-status') {
    return {
      status: 200,
      body: {
        type: 'shamir',
        initialized: s.initialized,
        sealed: s.sealed || !s.initialized,
        t: 3,
        n: 5,
        progress: 0,
        nonce: '',
        version: s.version,
        build_date: '2025-01-01T00:00:00Z',
        migration: false,
        recovery_seal: false,
        storage_type: 'raft',
      },
    };
  }
  if (!s.initialized || s.sealed) return errors(503, 'Vault is sealed');
  if (s.drSecondary)
    return errors(400, 'path disabled in replication DR secondary mode');

  const header =
    req.headers['x-vault-token'] ??
    req.headers.authorization?.replace(/^Bearer\s+/i, '');
  const token = typeof header === 'string' ? s.tokens[header] : undefined;
  if (!token) return errors(403, 'permission denied');
  if (token.denyPaths?.some(p => path.startsWith(p)))
    return errors(403, '1 error occurred:\n\t* permission denied\n\n');

  if (path === 'auth/token/lookup-self' && req.method === 'GET') {
    const issued = new Date(Date.now() - 60_000);
    return {
      status: 200,
      body: envelope({
        accessor: `accessor-${String(header).slice(-4)}`,
        creation_time: Math.floor(issued.getTime() / 1000),
        creation_ttl: token.ttl,
        display_name: 'token',
        entity_id: '',
        expire_time:
          token.ttl > 0
            ? new Date(Date.now() + token.ttl * 1000).toISOString()
            : null,
        explicit_max_ttl: 0,
        id: header,
        issue_time: issued.toISOString(),
        meta: null,
        num_uses: 0,
        orphan: true,
        path: 'auth/token/create',
        policies: token.policies,
        renewable: token.renewable,
        ttl: token.ttl,
        type: 'service',
      }),
    };
  }
  if (path === 'sys/mounts' && req.method === 'GET') {
    const mounts: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(s.mounts)) {
      mounts[name] = {
        accessor: `${m.type}_${name.replace(/\W/g, '')}`,
        config: { default_lease_ttl: 0, max_lease_ttl: 0 },
        description: m.description ?? '',
        external_entropy_access: false,
        local: false,
        options: m.options ?? null,
        seal_wrap: false,
        type: m.type,
        uuid: randomUUID(),
      };
    }
    return { status: 200, body: { ...mounts, ...envelope(mounts) } };
  }
  if (path.startsWith('sys/mounts/') && req.method === 'POST') {
    const name = `${path.slice('sys/mounts/'.length)}/`;
    if (s.mounts[name]) return errors(400, `path is already in use at ${name}`);
    const body = req.json<{ type?: string; options?: { version?: string } }>();
    if (!body?.type) return errors(400, 'type must be specified');
    s.mounts[name] = { type: body.type, options: body.options ?? null };
    return { status: 204 };
  }
  const mount = findMount(s, path);
  if (
    mount &&
    s.mounts[mount].type === 'kv' &&
    s.mounts[mount].options?.version === '2'
  ) {
    return kv(req, s, mount, path.slice(mount.length));
  }
  return errors(404, `no handler for route "${path}". route entry not found.`);
}

/**
 * HashiCorp Vault stand-in: sys/health (all documented codes and query overrides), seal-status, token
 * lookup-self, sys/mounts (list/enable), KV v2 data/metadata with check-and-set, 403 for unknown tokens,
 * 503 while sealed or uninitialized. Flip `state.sealed`, `state.initialized`, `state.standby`… in tests.
 */
export async function startVaultServer(
  options: VaultServerOptions = {},
): Promise<VaultContractServer> {
  const rootToken = options.rootToken ?? `hvs.test-root-${randomUUID()}`;
  const kvMount = `${options.kvMount ?? 'kv'}/`;
  const state: VaultState = {
    initialized: true,
    sealed: false,
    standby: false,
    performanceStandby: false,
    drSecondary: false,
    haConnectionHealthy: true,
    version: '1.18.3',
    clusterName: 'vault-cluster-test',
    clusterId: randomUUID(),
    tokens: { [rootToken]: { policies: ['root'], ttl: 0, renewable: false } },
    mounts: {
      [kvMount]: {
        type: 'kv',
        options: { version: '2' },
        description: 'key/value secret storage',
      },
      'sys/': { type: 'system', description: 'system endpoints' },
      'cubbyhole/': {
        type: 'cubbyhole',
        description: 'per-token private secret storage',
      },
    },
    kv: {},
    ...options.state,
  };
  const server = await startContractServer(state, handle, options);
  return Object.assign(server, { rootToken });
}
