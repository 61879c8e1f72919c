import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';
import { createTestCertificate } from './tls';

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  created: number;
}

/** A soft-deleted secret: its versions, kept until recovered or purged. */
export interface DeletedSecretState {
  versions: SecretVersion[];
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** Key Vault finishes delete, recover and purge asynchronously: until then, requests about the name see it unfinished. */
export interface PendingOperation {
  op: 'delete' | 'recover' | 'purge';
  /** Requests about the name that still see the operation unfinished. */
  remaining: number;
}

export interface KeyVaultState {
  /** Bearer tokens accepted, with what each may do. */
  tokens: Record<string, 'all' | 'none'>;
  /** Secrets by name, versions oldest first. */
  secrets: Record<string, SecretVersion[]>;
  /**
   * Soft-deleted secrets by name (`true`: deleted with no history kept, as tests set it): a set on them answers 409
   * Conflict (ObjectIsDeletedButRecoverable) until they are recovered or purged, as Key Vault does.
   */
  deleted: Record<string, DeletedSecretState | true>;
  tenantId: string;
  /** Purge protection (our Bicep enables it): purge answers 403 and deleted secrets stay for the retention days. */
  purgeProtection: boolean;
  /** Requests about a name that see its delete, recover or purge unfinished (default 1: clients must poll). */
  operationLag: number;
  pending: Record<string, PendingOperation>;
  /** The challenge's resource: tokens must be issued for `<resource>/.default`. */
  challengeResource: string;
  /** Tokens minted by `issuingCredential`, with the scope and tenant each was asked for. */
  issued: Record<string, { scope: string; tenantId?: string }>;
}

export type KeyVaultContractServer = ContractServer<KeyVaultState> & {
  /** A token this vault accepts with full rights. */
  token: string;
  /** A credential returning `token` (stands in for the portal's Azure identity). */
  credential: TokenCredential;
  /**
   * A credential minting a token per request, for the scope and tenant it is asked for: the vault accepts only tokens
   * for its challenge's resource and tenant. `tokenRequests` records what it was asked.
   */
  issuingCredential(): IssuingCredential;
};

/** A TokenCredential that always returns a token (what the SDK's getToken may otherwise answer null). */
export interface IssuingCredential extends TokenCredential {
  tokenRequests: Array<{ scopes: string[]; tenantId?: string }>;
  getToken(
    scopes: string | string[],
    options?: { tenantId?: string },
  ): Promise<AccessToken>;
}

const API_VERSIONS = /^(7\.[0-9]+|20[0-9]{2}-[0-9]{2}-[0-9]{2})(-preview)?$/;
const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const RETENTION_DAYS = 90;

const kvError = (
  status: number,
  code: string,
  message: string,
  inner?: string,
): ContractResponse => ({
  status,
  headers: {
    'x-ms-request-id': randomUUID(),
    'x-ms-keyvault-service-version': '1.9.2228.1',
  },
  body: {
    error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) },
  },
});

const notFound = (name: string, version?: string) =>
  kvError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name}${
      version ? `/${version}` : ''
    } was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.`,
  );
const deletedNotFound = (name: string) =>
  kvError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);

const recoveryLevel = (s: KeyVaultState) =>
  s.purgeProtection ? 'Recoverable' : 'Recoverable+Purgeable';

function attributes(s: KeyVaultState, v: SecretVersion) {
  return {
    enabled: true,
    created: v.created,
    updated: v.created,
    recoveryLevel: recoveryLevel(s),
    recoverableDays: RETENTION_DAYS,
  };
}

function bundle(
  s: KeyVaultState,
  base: string,
  name: string,
  v: SecretVersion,
  withValue = true,
) {
  return {
    ...(withValue ? { value: v.value } : {}),
    ...(v.contentType ? { contentType: v.contentType } : {}),
    id: `${base}/secrets/${name}/${v.version}`,
    attributes: attributes(s, v),
    ...(v.tags ? { tags: v.tags } : {}),
  };
}

const deletedState = (d: DeletedSecretState | true): DeletedSecretState =>
  d === true ? { versions: [], deletedDate: 0, scheduledPurgeDate: 0 } : d;

function deletedBundle(
  s: KeyVaultState,
  base: string,
  name: string,
  d: DeletedSecretState,
) {
  const latest = d.versions[d.versions.length - 1];
  return {
    recoveryId: `${base}/deletedsecrets/${name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
    ...(latest
      ? bundle(s, base, name, latest, false)
      : { id: `${base}/secrets/${name}` }),
  };
}

/** A static TokenCredential (the identity layer is not under test; Key Vault's use of the token is). */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

/** Whether the name's pending operation is still unfinished for this request (each request about it counts one). */
function stillPending(
  s: KeyVaultState,
  name: string,
): PendingOperation | undefined {
  const pending = s.pending[name];
  if (!pending) return undefined;
  if (pending.remaining <= 0) {
    delete s.pending[name];
    return undefined;
  }
  pending.remaining--;
  return pending;
}

function canonicalName(s: KeyVaultState, name: string): string {
  const lower = name.toLowerCase();
  return (
    [
      ...Object.keys(s.secrets),
      ...Object.keys(s.deleted),
      ...Object.keys(s.pending),
    ].find(k => k.toLowerCase() === lower) ?? name
  );
}

function list(items: unknown[], req: ContractRequest) {
  const max = Number(req.query.get('maxresults') ?? 25);
  const skip = Number(req.query.get('$skiptoken') ?? 0);
  const page = items.slice(skip, skip + max);
  return {
    status: 200,
    body: { value: page, nextLink: null },
  };
}

function authorize(
  req: ContractRequest,
  s: KeyVaultState,
): ContractResponse | 'all' | 'none' {
  const auth = req.headers.authorization;
  // The documented challenge: an unauthenticated call gets 401 naming the authority and resource.
  if (!auth || !/^Bearer\s+\S+/i.test(auth)) {
    return {
      ...kvError(
        401,
        'Unauthorized',
        'AKV10000: Request is missing a Bearer or PoP token.',
      ),
      headers: {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${s.tenantId}", resource="${s.challengeResource}"`,
      },
    };
  }
  const token = auth.replace(/^Bearer\s+/i, '');
  const rights = s.tokens[token];
  if (rights) return rights;
  const issued = s.issued[token];
  if (!issued) return kvError(401, 'Unauthorized', 'AKV10032: Invalid issuer.');
  if (issued.scope !== `${s.challengeResource}/.default`)
    return kvError(
      401,
      'Unauthorized',
      `AKV10022: Invalid audience. Expected ${s.challengeResource}, found: ${issued.scope}.`,
    );
  if (issued.tenantId !== s.tenantId)
    return kvError(401, 'Unauthorized', 'AKV10032: Invalid issuer.');
  return 'all';
}

function handler() {
  return (req: ContractRequest, s: KeyVaultState): ContractResponse => {
    const rights = authorize(req, s);
    if (typeof rights !== 'string') return rights;
    const apiVersion = req.query.get('api-version');
    if (!apiVersion || !API_VERSIONS.test(apiVersion)) {
      return kvError(
        400,
        'BadParameter',
        'The request URI contains an invalid or missing api-version parameter.',
      );
    }
    // Ids name the vault as the client addressed it (Key Vault answers with its own DNS name).
    const base = `https://${req.headers.host}`;
    const match =
      /^\/(secrets|deletedsecrets)(?:\/([^/]+)(?:\/([^/]*))?)?\/?$/.exec(
        req.path,
      );
    if (!match)
      return kvError(404, 'NotFound', 'The requested resource does not exist.');
    const [, collection, name, rest] = match;
    if (name !== undefined && !NAME.test(name))
      return kvError(
        400,
        'BadParameter',
        `The request URI contains an invalid name: ${name}`,
      );
    if (rights === 'none') {
      return kvError(
        403,
        'Forbidden',
        `The user, group or application does not have secrets ${
          req.method === 'PUT' ? 'set' : 'get'
        } permission on key vault.`,
        'AccessDenied',
      );
    }
    if (name === undefined) {
      if (req.method !== 'GET')
        return kvError(405, 'MethodNotAllowed', `${req.method} not allowed.`);
      return collection === 'secrets'
        ? list(
            Object.entries(s.secrets)
              .filter(([n, v]) => v.length && !s.pending[n])
              .map(([n, v]) => ({
                ...bundle(s, base, n, v[v.length - 1], false),
                id: `${base}/secrets/${n}`,
              })),
            req,
          )
        : list(
            Object.entries(s.deleted).map(([n, d]) =>
              deletedBundle(s, base, n, deletedState(d)),
            ),
            req,
          );
    }
    // Key Vault object names are case-insensitive: one secret, whatever the case it is addressed with.
    const key = canonicalName(s, name);
    const pending = stillPending(s, key);
    return collection === 'secrets'
      ? secretRoute(req, s, base, key, rest, pending)
      : deletedRoute(req, s, base, key, rest, pending);
  };
}

function secretRoute(
  req: ContractRequest,
  s: KeyVaultState,
  base: string,
  name: string,
  rest: string | undefined,
  pending: PendingOperation | undefined,
): ContractResponse {
  const versions = pending ? undefined : s.secrets[name];
  if (req.method === 'GET' && rest === 'versions') {
    if (!versions?.length) return notFound(name);
    return list(
      versions.map(v => bundle(s, base, name, v, false)),
      req,
    );
  }
  if (req.method === 'GET') {
    const found = rest
      ? versions?.find(v => v.version === rest)
      : versions?.[versions.length - 1];
    return found
      ? { status: 200, body: bundle(s, base, name, found) }
      : notFound(name, rest);
  }
  if (req.method === 'PUT' && !rest) {
    if (pending?.op === 'recover')
      return kvError(
        409,
        'Conflict',
        `Secret ${name} is currently being recovered and cannot be updated; retry later.`,
        'ObjectIsBeingRecovered',
      );
    if (pending)
      return kvError(
        409,
        'Conflict',
        `Secret ${name} is currently being deleted and cannot be re-created; retry later.`,
        'ObjectIsBeingDeleted',
      );
    if (s.deleted[name]) {
      return kvError(
        409,
        'Conflict',
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        'ObjectIsDeletedButRecoverable',
      );
    }
    const body = req.json<{
      value?: string;
      contentType?: string;
      tags?: Record<string, string>;
    }>();
    if (typeof body?.value !== 'string')
      return kvError(400, 'BadParameter', 'Property value is required.');
    const next: SecretVersion = {
      version: randomUUID().replace(/-/g, ''),
      value: body.value,
      contentType: body.contentType,
      tags: body.tags,
      created: Math.floor(Date.now() / 1000),
    };
    s.secrets[name] = [...(s.secrets[name] ?? []), next];
    return { status: 200, body: bundle(s, base, name, next) };
  }
  if (req.method === 'DELETE' && !rest) {
    if (!versions?.length) return notFound(name);
    const now = Math.floor(Date.now() / 1000);
    const deleted: DeletedSecretState = {
      versions,
      deletedDate: now,
      scheduledPurgeDate: now + RETENTION_DAYS * 86_400,
    };
    delete s.secrets[name];
    s.deleted[name] = deleted;
    if (s.operationLag > 0)
      s.pending[name] = { op: 'delete', remaining: s.operationLag };
    return { status: 200, body: deletedBundle(s, base, name, deleted) };
  }
  return kvError(405, 'MethodNotAllowed', `${req.method} not allowed.`);
}

function deletedRoute(
  req: ContractRequest,
  s: KeyVaultState,
  base: string,
  name: string,
  rest: string | undefined,
  pending: PendingOperation | undefined,
): ContractResponse {
  const raw = pending ? undefined : s.deleted[name];
  if (req.method === 'GET' && !rest) {
    return raw
      ? { status: 200, body: deletedBundle(s, base, name, deletedState(raw)) }
      : deletedNotFound(name);
  }
  if (req.method === 'POST' && rest === 'recover') {
    if (!raw) return deletedNotFound(name);
    const d = deletedState(raw);
    delete s.deleted[name];
    s.secrets[name] = d.versions;
    if (s.operationLag > 0)
      s.pending[name] = { op: 'recover', remaining: s.operationLag };
    const latest = d.versions[d.versions.length - 1];
    return {
      status: 200,
      body: latest
        ? bundle(s, base, name, latest, false)
        : { id: `${base}/secrets/${name}` },
    };
  }
  if (req.method === 'DELETE' && !rest) {
    if (!raw) return deletedNotFound(name);
    // Answer seen from Key Vault with purge protection on (e.g. Azure/sap-automation#200, microsoft/AzureTRE#1951).
    if (s.purgeProtection)
      return kvError(
        403,
        'Forbidden',
        'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
      );
    delete s.deleted[name];
    // Purge has no status to poll; the name stays unusable for a while (Azure/azure-sdk-for-net#26027).
    if (s.operationLag > 0)
      s.pending[name] = { op: 'purge', remaining: s.operationLag };
    return { status: 204 };
  }
  return kvError(405, 'MethodNotAllowed', `${req.method} not allowed.`);
}

/**
 * Azure Key Vault secrets REST stand-in over https (the SDK refuses bearer tokens on http): the 401 challenge with
 * WWW-Authenticate on unauthenticated calls (tokens must be for the challenge's resource and tenant), GET/PUT/DELETE
 * /secrets/{name}[/{version}], /secrets/{name}/versions, /secrets, soft delete (/deletedsecrets list, get, recover,
 * purge; 409 on a set while deleted), purge protection (403 on purge), delete/recover/purge finishing
 * asynchronously (`operationLag`), 404 SecretNotFound, 403 for a token without rights, with api-version.
 * Clients trust `ca`. `hosts` adds names to its certificate: with `keyVaultClientAgent` a client can address it as
 * `https://<name>.vault.azure.net:<port>`, the domain the SDK's challenge check expects.
 */
export async function startKeyVaultServer(
  options: ContractServerOptions & {
    state?: Partial<KeyVaultState>;
    hosts?: string[];
  } = {},
): Promise<KeyVaultContractServer> {
  const token = `kv-test-${randomUUID()}`;
  const state: KeyVaultState = {
    tokens: { [token]: 'all' },
    secrets: {},
    deleted: {},
    tenantId: randomUUID(),
    purgeProtection: true,
    operationLag: 1,
    pending: {},
    challengeResource: 'https://vault.azure.net',
    issued: {},
    ...options.state,
  };
  const tls =
    options.tls ??
    (options.hosts?.length
      ? createTestCertificate(['localhost', '127.0.0.1', ...options.hosts])
      : true);
  const server = await startContractServer(state, handler(), {
    ...options,
    tls,
  });
  return Object.assign(server, {
    token,
    credential: staticTokenCredential(token),
    issuingCredential() {
      const tokenRequests: Array<{ scopes: string[]; tenantId?: string }> = [];
      return {
        tokenRequests,
        async getToken(
          scopes: string | string[],
          opts?: { tenantId?: string },
        ): Promise<AccessToken> {
          const asked = [scopes].flat();
          tokenRequests.push({ scopes: asked, tenantId: opts?.tenantId });
          const minted = `kv-issued-${randomUUID()}`;
          state.issued[minted] = { scope: asked[0], tenantId: opts?.tenantId };
          return {
            token: minted,
            expiresOnTimestamp: Date.now() + 60 * 60 * 1000,
          };
        },
      };
    },
  });
}

/**
 * An https agent that resolves the given host names to the contract server's loopback address and trusts its CA, so
 * an SDK client addresses it by a real-looking vault URL (`https://<host>:<port>`): the SDK's checks (challenge
 * resource domain, TLS server name) run unchanged. Other names do not resolve.
 */
export function keyVaultClientAgent(
  server: Pick<KeyVaultContractServer, 'ca' | 'url'>,
  hosts: string[],
): { agent: https.Agent; urlOf(host: string): string } {
  const port = new URL(server.url).port;
  const lookup: LookupFunction = (hostname, options, callback) => {
    const known = hosts.includes(hostname);
    const error = known
      ? null
      : Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: 'ENOTFOUND',
        });
    if (options.all)
      (callback as any)(
        error,
        known ? [{ address: '127.0.0.1', family: 4 }] : [],
      );
    else callback(error, known ? '127.0.0.1' : '', 4);
  };
  return {
    agent: new https.Agent({ ca: server.ca, keepAlive: true, lookup }),
    urlOf: host => `https://${host}:${port}`,
  };
}
