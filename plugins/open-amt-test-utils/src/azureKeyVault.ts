import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  created: number;
}

export interface KeyVaultState {
  /** Bearer tokens accepted, with what each may do. */
  tokens: Record<string, 'all' | 'none'>;
  /** Secrets by name, versions oldest first. */
  secrets: Record<string, SecretVersion[]>;
  /** Names deleted but not purged: a set on them answers 409 Conflict, as Key Vault does. */
  deleted: Record<string, true>;
  tenantId: string;
}

export type KeyVaultContractServer = ContractServer<KeyVaultState> & {
  /** A token this vault accepts with full rights. */
  token: string;
  /** A credential returning `token` (stands in for the portal's Azure identity). */
  credential: TokenCredential;
};

const API_VERSIONS = /^(7\.[0-9]+|20[0-9]{2}-[0-9]{2}-[0-9]{2})(-preview)?$/;
const NAME = /^[0-9a-zA-Z-]{1,127}$/;

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

function bundle(baseUrl: string, name: string, v: SecretVersion) {
  return {
    value: v.value,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    id: `${baseUrl}/secrets/${name}/${v.version}`,
    attributes: {
      enabled: true,
      created: v.created,
      updated: v.created,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    ...(v.tags ? { tags: v.tags } : {}),
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

function handler(baseUrl: () => string) {
  return (req: ContractRequest, s: KeyVaultState): ContractResponse => {
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
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${s.tenantId}", resource="https://vault.azure.net"`,
        },
      };
    }
    const rights = s.tokens[auth.replace(/^Bearer\s+/i, '')];
    if (!rights)
      return kvError(401, 'Unauthorized', 'AKV10032: Invalid issuer.');
    const apiVersion = req.query.get('api-version');
    if (!apiVersion || !API_VERSIONS.test(apiVersion)) {
      return kvError(
        400,
        'BadParameter',
        'The request URI contains an invalid or missing api-version parameter.',
      );
    }
    const match = /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/.exec(req.path);
    if (!match)
      return kvError(404, 'NotFound', 'The requested resource does not exist.');
    const [, name, version] = match;
    if (!NAME.test(name))
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
    const versions = s.secrets[name];
    if (req.method === 'GET') {
      const found = version
        ? versions?.find(v => v.version === version)
        : versions?.[versions.length - 1];
      if (!found) {
        return kvError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}${
            version ? `/${version}` : ''
          } was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.`,
        );
      }
      return { status: 200, body: bundle(baseUrl(), name, found) };
    }
    if (req.method === 'PUT' && !version) {
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
      s.secrets[name] = [...(versions ?? []), next];
      return { status: 200, body: bundle(baseUrl(), name, next) };
    }
    return kvError(
      405,
      'MethodNotAllowed',
      `${req.method} is not supported here.`,
    );
  };
}

/**
 * Azure Key Vault secrets REST stand-in over https (the SDK refuses bearer tokens on http): the 401 challenge
 * with WWW-Authenticate on unauthenticated calls, GET/PUT /secrets/{name}[/{version}] with api-version, 404
 * SecretNotFound, 403 for a token without rights, 409 for a deleted-but-recoverable name.
 * Clients trust `ca`; the adapters skip the SDK's challenge resource check only for loopback URLs like this one.
 */
export async function startKeyVaultServer(
  options: ContractServerOptions & { state?: Partial<KeyVaultState> } = {},
): Promise<KeyVaultContractServer> {
  const token = `kv-test-${randomUUID()}`;
  const state: KeyVaultState = {
    tokens: { [token]: 'all' },
    secrets: {},
    deleted: {},
    tenantId: randomUUID(),
    ...options.state,
  };
  let url = '';
  const server = await startContractServer(
    state,
    handler(() => url),
    { ...options, tls: options.tls ?? true },
  );
  url = server.url;
  return Object.assign(server, {
    token,
    credential: staticTokenCredential(token),
  });
}
