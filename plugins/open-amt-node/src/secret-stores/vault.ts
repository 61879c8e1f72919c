import { InputError } from '@backstage/errors';
import nodeVault from 'node-vault';
import { storeEndpointKey } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  ProbeContext,
  ProbeMemory,
  ProbeResult,
  SecretStoreAdapter,
  SecretStoreAuth,
  SecretWriteResult,
} from '../types';
import { createHash } from 'node:crypto';
import {
  failureToProbeResult,
  probeBudget,
  probeHttp,
  provisioningContext,
  redactUrl,
  sentThenOverlap,
  withoutFollowUp,
} from '../net';
import { locateVaultRef, vaultRef, vaultSecretPath } from './refs';
import {
  createVaultTransport,
  StoreTransportError,
  VaultCall,
  VaultCallOptions,
  VaultRequest,
} from './vaultTransport';
import { CANARY_SECRET_NAME, worst } from './shared';

type VaultSpec = Extract<SecretsSpec, { provider: 'vault' }>;
type VaultResponseError = Error & {
  response?: { statusCode: number; body?: { errors?: string[] } };
};

/** Tokens expiring sooner than this, and not renewable, make the store degraded. */
const TOKEN_TTL_WARNING_SECONDS = 24 * 60 * 60;

/** sys/health codes as Vault documents them, and what each means for an Open AMT deployment. */
const HEALTH_CODES: Record<
  number,
  { status: ProbeResult['status']; meaning: string }
> = {
  200: { status: 'healthy', meaning: 'initialized, unsealed and active' },
  429: {
    status: 'degraded',
    meaning:
      'unsealed standby: requests are forwarded to the active node; point the address at the active node or its load balancer',
  },
  472: {
    status: 'down',
    meaning: 'a disaster-recovery secondary, which does not serve secrets',
  },
  473: {
    status: 'degraded',
    meaning:
      'a performance standby: reads are served locally, writes forwarded',
  },
  474: {
    status: 'down',
    meaning:
      'a standby that cannot reach the active node, so requests cannot be forwarded',
  },
  501: { status: 'down', meaning: 'not initialized' },
  503: { status: 'down', meaning: 'sealed' },
  530: { status: 'down', meaning: 'removed from its cluster' },
};

function client(
  spec: VaultSpec,
  auth: SecretStoreAuth,
  nextCtx: () => ProbeContext,
) {
  if (auth.kind !== 'vault-token')
    throw new Error(`Vault needs a vault-token identity, got ${auth.kind}`);
  const transport = createVaultTransport(nextCtx, auth.ca);
  const vault = nodeVault({
    endpoint: spec.address,
    token: auth.token,
    noCustomHTTPVerbs: true,
    'request-promise': transport.requestPromise,
  });
  return { vault, transport };
}

/**
 * Probe clients by address, token and CA: building a node-vault client (about 200 generated commands) costs
 * more than the probe's own requests, and a sweep probes the same Vault with the same identity every
 * interval. Each probe passes its own budget and status record per call (VaultCall). Keyed by a hash, so
 * the map's keys are no tokens; bounded. `request` is the client's transport, for sys/health (see vaultHealth).
 */
interface ProbeClient {
  vault: nodeVault.client;
  request: VaultRequest;
}
const probeClients = new Map<string, ProbeClient>();
const MAX_PROBE_CLIENTS = 500;

function probeClient(spec: VaultSpec, auth: SecretStoreAuth): ProbeClient {
  if (auth.kind !== 'vault-token')
    throw new Error(`Vault needs a vault-token identity, got ${auth.kind}`);
  const key = createHash('sha256')
    .update(`${spec.address}\n${auth.token}\n${auth.ca ?? ''}`)
    .digest('base64');
  let probe = probeClients.get(key);
  if (!probe) {
    if (probeClients.size >= MAX_PROBE_CLIENTS) probeClients.clear();
    const { vault, transport } = client(spec, auth, () => {
      throw new Error('a probe call without its VaultCall');
    });
    probe = { vault, request: transport.requestPromise.defaults() };
    probeClients.set(key, probe);
  }
  return probe;
}

/**
 * GET /v1/sys/health with the token, as node-vault's health() sends it, through the same transport, minus its
 * per-call schema validation (tv4) and path templating: the one request a steady-state Vault probe makes, and
 * bench:probes measured node-vault's wrapping of it at more CPU than the exchange itself. Like node-vault, answers
 * the body whatever the status code (sys/health reports seal and standby states by status).
 */
async function vaultHealth(
  spec: VaultSpec,
  auth: Extract<SecretStoreAuth, { kind: 'vault-token' }>,
  request: VaultRequest,
  call: VaultCall,
  onSent?: () => void,
): Promise<Record<string, unknown> | undefined> {
  const res = await request({
    method: 'GET',
    uri: `${spec.address.replace(/\/$/, '')}/v1/sys/health`,
    headers: { 'X-Vault-Token': auth.token },
    probe: call,
    onSent,
  });
  return res.body && typeof res.body === 'object'
    ? (res.body as Record<string, unknown>)
    : undefined;
}

/** node-vault's per-call request options, carrying this probe's VaultCall to the transport. */
const via = (call: VaultCall, extra: Omit<VaultCallOptions, 'probe'> = {}) => ({
  requestOptions: { probe: call, ...extra },
});

const statusOf = (error: unknown) =>
  (error as VaultResponseError)?.response?.statusCode;
const errorsOf = (error: unknown) =>
  (error as VaultResponseError)?.response?.body?.errors ?? [];
/** Vault's own error text; never contains values (Vault does not echo request bodies). */
const reason = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

function dataPath(spec: VaultSpec, name: string) {
  return `${spec.mount}/data/${vaultSecretPath(spec, name)}`;
}

async function currentVersion(
  vault: nodeVault.client,
  spec: VaultSpec,
  name: string,
): Promise<number> {
  try {
    const res = await vault.read(
      `${spec.mount}/metadata/${vaultSecretPath(spec, name)}`,
    );
    return Number(res?.data?.current_version ?? 0);
  } catch (error) {
    if (statusOf(error) === 404) return 0;
    throw error;
  }
}

function stringValues(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

/** The portal token's lookup-self answer, kept while the token is far from expiry. */
interface TokenFacts {
  /** Epoch ms; null for a token without expiry (ttl 0). */
  expiresAtMs: number | null;
  renewable: boolean;
  policies: unknown[];
}

const TOKEN_FACT = 'token';
const MOUNT_FACT = 'mount';

function tokenVerdict(facts: TokenFacts) {
  const ttl =
    facts.expiresAtMs === null
      ? 0
      : Math.max(1, Math.round((facts.expiresAtMs - Date.now()) / 1000));
  const details = {
    tokenTtlSeconds: ttl,
    tokenRenewable: facts.renewable,
    tokenPolicies: facts.policies,
  };
  if (ttl > 0 && ttl < TOKEN_TTL_WARNING_SECONDS && !facts.renewable) {
    return {
      status: 'degraded' as const,
      issue: `the portal's Vault token expires in ${
        Math.round(ttl / 360) / 10
      } h and is not renewable`,
      details,
    };
  }
  return { status: 'healthy' as const, details };
}

/** Remembered token facts, unless the token comes near the warning threshold (then Vault is asked every time). */
function recallToken(memory: ProbeMemory | undefined): TokenFacts | undefined {
  const known = memory?.recall<TokenFacts>(TOKEN_FACT);
  if (!known) return undefined;
  return known.expiresAtMs === null ||
    known.expiresAtMs - Date.now() > TOKEN_TTL_WARNING_SECONDS * 1000
    ? known
    : undefined;
}

async function checkToken(
  vault: nodeVault.client,
  call: VaultCall,
  memory: ProbeMemory | undefined,
) {
  const known = recallToken(memory);
  if (known) return tokenVerdict(known);
  try {
    const res = await vault.tokenLookupSelf(via(call));
    const ttl = Number(res?.data?.ttl ?? 0);
    const facts: TokenFacts = {
      expiresAtMs: ttl > 0 ? Date.now() + ttl * 1000 : null,
      renewable: Boolean(res?.data?.renewable),
      policies: res?.data?.policies ?? [],
    };
    const verdict = tokenVerdict(facts);
    if (verdict.status === 'healthy') memory?.remember(TOKEN_FACT, facts);
    return verdict;
  } catch (error) {
    if (error instanceof StoreTransportError) throw error;
    return {
      status: 'degraded' as const,
      issue: `the portal's Vault token was refused (${
        statusOf(error) ?? reason(error)
      })`,
      details: {},
    };
  }
}

type MountCheck = {
  status: ProbeResult['status'];
  issue?: string;
  details: Record<string, unknown>;
};

async function checkMount(
  vault: nodeVault.client,
  spec: VaultSpec,
  call: VaultCall,
  memory: ProbeMemory | undefined,
): Promise<MountCheck> {
  const known = memory?.recall<MountCheck>(MOUNT_FACT);
  if (known) return known;
  const checked = await askMount(vault, spec, call);
  if (checked.status === 'healthy') memory?.remember(MOUNT_FACT, checked);
  return checked;
}

async function askMount(
  vault: nodeVault.client,
  spec: VaultSpec,
  call: VaultCall,
): Promise<MountCheck> {
  const mountKey = `${spec.mount}/`;
  try {
    const res = await vault.mounts(via(call));
    const mount = res?.data?.[mountKey] ?? res?.[mountKey];
    if (!mount)
      return {
        status: 'down' as const,
        issue: `the KV mount "${spec.mount}" does not exist`,
        details: { mountFound: false },
      };
    const version = mount.options?.version ?? '1';
    if (mount.type !== 'kv' || version !== '2') {
      return {
        status: 'degraded' as const,
        issue: `"${spec.mount}" is ${mount.type} v${version}, MPS and RPS need KV v2`,
        details: {
          mountFound: true,
          mountType: mount.type,
          mountVersion: version,
        },
      };
    }
    return {
      status: 'healthy' as const,
      details: { mountFound: true, mountType: 'kv', mountVersion: '2' },
    };
  } catch (error) {
    if (error instanceof StoreTransportError) throw error;
    if (statusOf(error) !== 403)
      return {
        status: 'degraded' as const,
        issue: `sys/mounts failed (${reason(error)})`,
        details: {},
      };
  }
  // A least-privilege token may not list mounts: a read under the prefix tells the same.
  try {
    await vault.read(
      dataPath(spec, CANARY_SECRET_NAME),
      via(call).requestOptions,
    );
    return {
      status: 'healthy' as const,
      details: { mountFound: true, mountCheckedBy: 'read' },
    };
  } catch (error) {
    if (error instanceof StoreTransportError) throw error;
    const status = statusOf(error);
    if (status === 404 && errorsOf(error).length === 0) {
      return {
        status: 'healthy' as const,
        details: { mountFound: true, mountCheckedBy: 'read' },
      };
    }
    if (status === 404)
      return {
        status: 'down' as const,
        issue: `the KV mount "${spec.mount}" does not exist`,
        details: { mountFound: false },
      };
    return {
      status: 'degraded' as const,
      issue: `the portal's token cannot read under ${spec.mount}/${
        spec.pathPrefix
      } (${status ?? reason(error)})`,
      details: {},
    };
  }
}

/**
 * HashiCorp Vault, KV v2, through node-vault. Entries live at `<mount>/data/<pathPrefix>/<name>`; writes use
 * check-and-set so an existing value is never replaced unless `rotate` (then cas = current version).
 */
/** sys/health is the one Vault endpoint that needs no token: seal state, standby and version, nothing more. */
async function probeWithoutToken(
  spec: VaultSpec,
  subject: string,
  ctx: ProbeContext,
  ca?: string,
): Promise<ProbeResult> {
  const result = await probeHttp(
    `${spec.address.replace(/\/+$/, '')}/v1/sys/health`,
    ctx,
    { ca, maxRedirects: 0 },
  );
  if (result.kind === 'failure') return failureToProbeResult(subject, result);
  const body = (result.json ?? {}) as Record<string, unknown>;
  const known = HEALTH_CODES[result.status] ?? {
    status: 'down' as const,
    meaning: `answered sys/health with HTTP ${result.status}`,
  };
  return {
    status: known.status,
    latencyMs: result.latencyMs,
    message: `${subject} is ${known.meaning} (checked without a token: nothing behind sys/health was asked).`,
    details: {
      healthCode: result.status,
      version: body.version,
      sealed: body.sealed,
      standby: body.standby,
      credentials: 'none',
    },
  };
}

export const vaultAdapter: SecretStoreAdapter<
  SecretsSpec,
  VaultIdentityConfig
> = {
  provider: 'vault',

  refFor(spec, name) {
    return vaultRef(spec as VaultSpec, name);
  },

  async probe(rawSpec, auth, ctx) {
    const spec = rawSpec as VaultSpec;
    const budget = probeBudget(ctx);
    const subject = `Vault at ${redactUrl(spec.address)}`;
    if (auth.kind === 'anonymous')
      return probeWithoutToken(spec, subject, ctx, auth.ca);
    if (auth.kind !== 'vault-token')
      return {
        status: 'unknown',
        message: `Vault needs a vault-token identity, got ${auth.kind}`,
      };
    let vault: nodeVault.client;
    let request: VaultRequest;
    try {
      ({ vault, request } = probeClient(spec, auth));
    } catch (error) {
      return { status: 'unknown', message: reason(error) };
    }
    const call: VaultCall = { nextCtx: budget.next, statuses: new Map() };
    const { memory } = ctx;
    const health = (onSent?: () => void) =>
      vaultHealth(spec, auth, request, call, onSent);
    const checks = () =>
      Promise.all([
        checkToken(vault, call, memory),
        checkMount(vault, spec, call, memory),
      ]);
    // Token and mount facts learned while Vault was healthy still hold: only sys/health is asked then. Otherwise
    // the token and mount checks overlap sys/health (one round trip instead of three); read only when it is not down.
    const remembered = recallToken(memory) && memory?.recall(MOUNT_FACT);
    const exchange = remembered
      ? withoutFollowUp(health())
      : sentThenOverlap(health, checks);
    try {
      const body = await exchange.first;
      const last = call.statuses.get('/v1/sys/health');
      const code = last?.status ?? 0;
      const known = HEALTH_CODES[code] ?? {
        status: 'down' as const,
        meaning: `answered sys/health with HTTP ${code}`,
      };
      const details: Record<string, unknown> = {
        healthCode: code,
        version: body?.version,
        clusterName: body?.cluster_name,
        initialized: body?.initialized,
        sealed: body?.sealed,
        standby: body?.standby,
        performanceStandby: body?.performance_standby,
        replicationDrMode: body?.replication_dr_mode,
      };
      const latencyMs = last?.latencyMs;
      if (known.status === 'down') {
        // Sealed, uninitialised…: token and mount are asked again once it serves.
        memory?.forget(TOKEN_FACT);
        memory?.forget(MOUNT_FACT);
        return {
          status: 'down',
          latencyMs,
          message: `${subject} is ${known.meaning}.`,
          details,
        };
      }
      const [token, mount] = (await exchange.next) ?? (await checks());
      const issues = [
        known.status === 'degraded' ? known.meaning : undefined,
        token.issue,
        mount.issue,
      ].filter(Boolean);
      const status = worst([known.status, token.status, mount.status]);
      return {
        status,
        latencyMs,
        message: issues.length
          ? `${subject}: ${issues.join('; ')}.`
          : `${subject} is ${known.meaning}; KV v2 mount "${spec.mount}" is readable.`,
        details: {
          ...details,
          ...token.details,
          ...mount.details,
          mount: spec.mount,
        },
      };
    } catch (error) {
      if (error instanceof StoreTransportError)
        return failureToProbeResult(subject, error.failure);
      return {
        status: 'down',
        message: `${subject} failed: ${reason(error)}.`,
      };
    } finally {
      await exchange.settled();
    }
  },

  async write(rawSpec, auth, entries, opts) {
    const spec = rawSpec as VaultSpec;
    const ctx = provisioningContext();
    const { vault } = client(spec, auth, () => ctx);
    const results: SecretWriteResult[] = [];
    for (const [name, values] of Object.entries(entries)) {
      const ref = vaultRef(spec, name);
      try {
        const cas = opts.rotate ? await currentVersion(vault, spec, name) : 0;
        const res = await vault.write(dataPath(spec, name), {
          options: { cas },
          data: values,
        });
        const version = res?.data?.version;
        results.push({
          ref,
          written: true,
          ...(version !== undefined ? { version: String(version) } : {}),
        });
      } catch (error) {
        if (
          !opts.rotate &&
          statusOf(error) === 400 &&
          errorsOf(error).some(e => /check-and-set/.test(e))
        ) {
          results.push({ ref, written: false });
          continue;
        }
        throw new Error(`Vault write to ${ref} failed: ${reason(error)}`);
      }
    }
    return results;
  },

  async read(rawSpec, auth, name) {
    const spec = rawSpec as VaultSpec;
    const ctx = provisioningContext();
    const { vault } = client(spec, auth, () => ctx);
    try {
      const res = await vault.read(dataPath(spec, name));
      const data = res?.data?.data;
      return data ? stringValues(data) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      // One clause naming the store, what went wrong and the entry (the caller adds what to do).
      throw new Error(
        `${
          error instanceof StoreTransportError
            ? error.message
            : `Vault at ${spec.address} answered ${
                statusOf(error) ?? 'an error'
              } (${reason(error)})`
        } when reading ${vaultRef(spec, name)}`,
      );
    }
  },

  specFromAnnotations({ endpoint, mount }) {
    return {
      provider: 'vault',
      address: endpoint,
      mount: mount ?? 'kv',
      pathPrefix: 'open-amt',
    };
  },

  locate: locateVaultRef,

  authFromProbeEntry(entry) {
    return entry.vaultToken
      ? { kind: 'vault-token', token: entry.vaultToken }
      : undefined;
  },

  taskAuth(secrets, cfg) {
    const token = secrets?.vaultToken ?? cfg?.getOptionalString('vault.token');
    if (!token) {
      throw new InputError(
        'secrets.vaultToken is required: pass the Vault token as a task secret (ui:field Secret) or set openAmt.scaffolder.vault.token',
      );
    }
    const ca = cfg?.getOptionalString('vault.ca');
    return { kind: 'vault-token', token, ...(ca ? { ca } : {}) };
  },

  portalIdentity: {
    configKey: 'vault',
    readConfig(vault) {
      const appRole = vault.getOptionalConfig('appRole');
      return {
        address: vault.getString('address'),
        token: vault.getOptionalString('token'),
        appRole: appRole && {
          roleId: appRole.getString('roleId'),
          secretId: appRole.getString('secretId'),
          mountPath: appRole.getOptionalString('mountPath') ?? 'approle',
        },
      };
    },
    refusal(rawStore, config) {
      const store = rawStore as VaultSpec;
      if (!config?.address)
        return 'the portal has no Vault identity (openAmt.health.secretStores.vault)';
      return storeEndpointKey(store.address) ===
        storeEndpointKey(config.address)
        ? undefined
        : `${store.address} is not the portal's Vault (openAmt.health.secretStores.vault.address)`;
    },
    credentials(config, now) {
      const appRoleToken = config.appRole
        ? appRoleTokenSource(config, now)
        : undefined;
      return {
        async authFor() {
          if (appRoleToken)
            return { kind: 'vault-token', token: await appRoleToken() };
          return config.token
            ? { kind: 'vault-token', token: config.token }
            : undefined;
        },
      };
    },
  },
};

/** openAmt.health.secretStores.vault: the portal's own Vault identity. */
export interface VaultIdentityConfig {
  address: string;
  token?: string;
  appRole?: { roleId: string; secretId: string; mountPath: string };
}

const APPROLE_TIMEOUT_MS = 10_000;

/**
 * AppRole login (POST /v1/auth/<mount>/login {role_id, secret_id} → auth.client_token), cached until
 * 80 % of the lease so a sweep does not log in for every deployment.
 */
function appRoleTokenSource(vault: VaultIdentityConfig, now: () => number) {
  let cached: { token: string; expiresAt: number } | undefined;
  return async (): Promise<string> => {
    if (cached && cached.expiresAt > now()) return cached.token;
    const appRole = vault.appRole!;
    const url = `${vault.address.replace(/\/+$/, '')}/v1/auth/${
      appRole.mountPath
    }/login`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        role_id: appRole.roleId,
        secret_id: appRole.secretId,
      }),
      signal: AbortSignal.timeout(APPROLE_TIMEOUT_MS),
    });
    if (!response.ok) {
      // The body may echo request data; only the status is reported.
      throw new Error(
        `Vault AppRole login at ${vault.address} failed with HTTP ${response.status}`,
      );
    }
    const body = (await response.json()) as {
      auth?: { client_token?: string; lease_duration?: number };
    };
    const token = body.auth?.client_token;
    if (!token)
      throw new Error(
        `Vault AppRole login at ${vault.address} returned no token`,
      );
    const leaseMs = (body.auth?.lease_duration ?? 0) * 1000;
    cached = {
      token,
      expiresAt: now() + (leaseMs > 0 ? leaseMs * 0.8 : 5 * 60_000),
    };
    return token;
  };
}
