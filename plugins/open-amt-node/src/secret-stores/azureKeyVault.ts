import { toError } from '@backstage/errors';
import { isIP } from 'node:net';
import {
  ClientSecretCredential,
  DefaultAzureCredential,
} from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { storeEndpointKey } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  ProbeContext,
  ProbeResult,
  SecretStoreAdapter,
  SecretStoreAuth,
  SecretWriteResult,
} from '../types';
import {
  describeUnanswered,
  failureToProbeResult,
  probeBudget,
  probeHttp,
  provisioningContext,
  redactUrl,
} from '../net';
import {
  azureKeyVaultRef,
  azureSecretName,
  locateAzureKeyVaultRef,
} from './refs';
import { createAzureHttpClient, transportFailureOf } from './sdkTransports';
import { CANARY_SECRET_NAME } from './shared';

type KeyVaultSpec = Extract<SecretsSpec, { provider: 'azure-key-vault' }>;
/** Slack for the outer abort, so the transport's own (classified) timeout normally fires first. */
const OUTER_MARGIN_MS = 250;
type RestLikeError = Error & { statusCode?: number; code?: string };

/**
 * The SDK checks that the challenge's resource matches the vault's domain. Only loopback stand-ins (tests, local
 * emulators) skip that check: a real vault keeps it, so a rogue host cannot ask for a token of another audience.
 */
function isLoopback(vaultUrl: string): boolean {
  const host = new URL(vaultUrl).hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    (isIP(host) === 4 && host.startsWith('127.')) ||
    host === '::1'
  );
}

function secretClient(
  spec: KeyVaultSpec,
  auth: SecretStoreAuth,
  nextCtx: () => ProbeContext,
  probe?: { onResponse(ms: number): void },
) {
  if (auth.kind !== 'azure')
    throw new Error(
      `Azure Key Vault needs an azure identity, got ${auth.kind}`,
    );
  return new SecretClient(spec.vaultUrl, auth.credential, {
    httpClient: createAzureHttpClient(nextCtx, auth.ca, probe?.onResponse),
    // A probe reports what it saw; retries would only blow its time budget.
    retryOptions: probe ? { maxRetries: 0 } : { maxRetries: 3 },
    disableChallengeResourceVerification: isLoopback(spec.vaultUrl),
  });
}

const statusOf = (error: unknown) => (error as RestLikeError)?.statusCode;
const reason = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0] : String(error);
const isCredentialError = (error: unknown) =>
  [
    'CredentialUnavailableError',
    'AuthenticationError',
    'AuthenticationRequiredError',
  ].includes(toError(error).name);

function parseValues(
  value: string | undefined,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(
        Object.entries(parsed).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      );
    }
  } catch {
    // A value written by someone else: hand it back whole.
  }
  return { value };
}

/**
 * Azure Key Vault with @azure/keyvault-secrets: one secret per entry holding the entry as JSON, named
 * `<prefix>-<name>` (Key Vault allows only [0-9a-zA-Z-]). Key Vault has no check-and-set: an existing secret is
 * detected with a read first and kept unless `rotate`.
 */
/**
 * Without a token Key Vault answers every data-plane request with 401 and a Bearer challenge naming its tenant
 * (documented "authentication flow"): that proves it is reachable and is a Key Vault, and nothing more.
 */
async function probeWithoutToken(
  spec: KeyVaultSpec,
  subject: string,
  ctx: ProbeContext,
  ca?: string,
): Promise<ProbeResult> {
  const result = await probeHttp(
    `${spec.vaultUrl.replace(/\/+$/, '')}/secrets?api-version=7.4`,
    ctx,
    { ca, maxRedirects: 0 },
  );
  if (result.kind === 'failure') return failureToProbeResult(subject, result);
  const challenge = String(result.headers['www-authenticate'] ?? '');
  if (result.status === 401 && /^Bearer\b/i.test(challenge)) {
    return {
      status: 'healthy',
      latencyMs: result.latencyMs,
      message: `${subject} is reachable and answers Key Vault's authentication challenge (checked without a token: no secret was read).`,
      details: { httpStatus: 401, credentials: 'none' },
    };
  }
  return {
    status: 'down',
    latencyMs: result.latencyMs,
    message: `${subject} answered HTTP ${result.status} without a Key Vault authentication challenge: it does not look like a Key Vault.`,
    details: { httpStatus: result.status, credentials: 'none' },
  };
}

export const azureKeyVaultAdapter: SecretStoreAdapter<
  SecretsSpec,
  AzureIdentityConfig
> = {
  provider: 'azure-key-vault',

  refFor(spec, name) {
    return azureKeyVaultRef(spec as KeyVaultSpec, name);
  },

  async probe(rawSpec, auth, ctx) {
    const spec = rawSpec as KeyVaultSpec;
    const subject = `Key Vault ${redactUrl(spec.vaultUrl)}`;
    if (auth.kind === 'anonymous')
      return probeWithoutToken(spec, subject, ctx, auth.ca);
    const budget = probeBudget(ctx);
    let latencyMs: number | undefined;
    const canary = azureSecretName(spec.prefix, CANARY_SECRET_NAME);
    try {
      const client = secretClient(spec, auth, budget.next, {
        onResponse: ms => (latencyMs = ms),
      });
      // The transport enforces the budget per request; this outer limit also bounds token acquisition.
      await client.getSecret(canary, {
        abortSignal: AbortSignal.timeout(ctx.timeoutMs + OUTER_MARGIN_MS),
      });
      return {
        status: 'healthy',
        latencyMs,
        message: `${subject} answered and the portal identity can read secrets.`,
        details: { canary, canaryFound: true },
      };
    } catch (error) {
      const failure = transportFailureOf(error);
      if (failure) return failureToProbeResult(subject, failure);
      if (toError(error).name === 'AbortError') {
        return failureToProbeResult(subject, {
          failure: 'timeout',
          message: 'no answer in time',
          latencyMs: budget.elapsedMs(),
          url: redactUrl(spec.vaultUrl),
        });
      }
      if (isCredentialError(error)) {
        return {
          status: 'unknown',
          message: `The portal could not get an Azure token for ${subject}: ${reason(
            error,
          )}.`,
        };
      }
      const status = statusOf(error);
      if (status === 404) {
        return {
          status: 'healthy',
          latencyMs,
          message: `${subject} answered (the canary secret is absent, as expected).`,
          details: { canary, canaryFound: false },
        };
      }
      if (status === 401) {
        return {
          status: 'degraded',
          latencyMs,
          message: `${subject} answered but rejected the portal's token (401): check the tenant and identity the portal uses.`,
          details: { accessProblem: 'authentication', httpStatus: 401 },
        };
      }
      if (status === 403) {
        return {
          status: 'degraded',
          latencyMs,
          message: `${subject} answered but the portal identity may not read secrets (403): grant it "Key Vault Secrets User" or a get access policy.`,
          details: { accessProblem: 'authorization', httpStatus: 403 },
        };
      }
      return {
        status: 'down',
        latencyMs,
        message: `${subject} failed: ${
          status ? `HTTP ${status}` : reason(error)
        }.`,
        details: status ? { httpStatus: status } : {},
      };
    }
  },

  async write(rawSpec, auth, entries, opts) {
    const spec = rawSpec as KeyVaultSpec;
    const ctx = provisioningContext();
    const client = secretClient(spec, auth, () => ctx);
    const results: SecretWriteResult[] = [];
    for (const [name, values] of Object.entries(entries)) {
      const secretName = azureSecretName(spec.prefix, name);
      const ref = azureKeyVaultRef(spec, name);
      try {
        if (!opts.rotate) {
          const exists = await client.getSecret(secretName).then(
            () => true,
            error => {
              if (statusOf(error) === 404) return false;
              throw error;
            },
          );
          if (exists) {
            results.push({ ref, written: false });
            continue;
          }
        }
        const set = await client.setSecret(secretName, JSON.stringify(values), {
          contentType: 'application/json',
          tags: { 'managed-by': 'open-amt-backstage' },
        });
        results.push({
          ref,
          written: true,
          ...(set.properties.version
            ? { version: set.properties.version }
            : {}),
        });
      } catch (error) {
        const hint =
          statusOf(error) === 409
            ? ' (a deleted secret with this name is still recoverable: recover or purge it first)'
            : '';
        throw new Error(
          `Key Vault write to ${ref} failed: ${reason(error)}${hint}`,
        );
      }
    }
    return results;
  },

  async read(rawSpec, auth, name) {
    const spec = rawSpec as KeyVaultSpec;
    const ctx = provisioningContext();
    const client = secretClient(spec, auth, () => ctx);
    try {
      const secret = await client.getSecret(azureSecretName(spec.prefix, name));
      return parseValues(secret.value);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      // One clause naming the store, what went wrong and the entry (the caller adds what to do).
      const store = `Key Vault at ${spec.vaultUrl}`;
      const failure = transportFailureOf(error);
      throw new Error(
        `${
          failure
            ? describeUnanswered(store, failure)
            : `${store} answered ${statusOf(error) ?? 'an error'} (${reason(
                error,
              )})`
        } when reading ${azureKeyVaultRef(spec, name)}`,
      );
    }
  },

  specFromAnnotations({ endpoint, mount }) {
    return {
      provider: 'azure-key-vault',
      vaultUrl: endpoint,
      prefix: mount ?? 'open-amt',
    };
  },

  locate: locateAzureKeyVaultRef,

  taskAuth(secrets, cfg) {
    const tenantId =
      secrets?.azureTenantId ?? cfg?.getOptionalString('azure.tenantId');
    const clientId =
      secrets?.azureClientId ?? cfg?.getOptionalString('azure.clientId');
    const clientSecret =
      secrets?.azureClientSecret ??
      cfg?.getOptionalString('azure.clientSecret');
    const authorityHost = cfg?.getOptionalString('azure.authorityHost');
    const ca = cfg?.getOptionalString('azure.ca');
    const credential =
      tenantId && clientId && clientSecret
        ? new ClientSecretCredential(
            tenantId,
            clientId,
            clientSecret,
            authorityHost ? { authorityHost } : {},
          )
        : new DefaultAzureCredential();
    return { kind: 'azure', credential, ...(ca ? { ca } : {}) };
  },

  portalIdentity: {
    configKey: 'azure',
    readConfig(azure) {
      return {
        managedIdentityClientId: azure.getOptionalString(
          'managedIdentityClientId',
        ),
        vaultUrls: azure.getOptionalStringArray('vaultUrls') ?? [],
      };
    },
    refusal(rawStore, config) {
      const store = rawStore as KeyVaultSpec;
      const allowed = (config?.vaultUrls ?? []).map(storeEndpointKey);
      return allowed.includes(storeEndpointKey(store.vaultUrl))
        ? undefined
        : `${store.vaultUrl} is not in openAmt.health.secretStores.azure.vaultUrls`;
    },
    credentials(config) {
      let credential: DefaultAzureCredential | undefined;
      return {
        async authFor() {
          // Made on first use: most portals never talk to Key Vault.
          credential ??= new DefaultAzureCredential(
            config.managedIdentityClientId
              ? { managedIdentityClientId: config.managedIdentityClientId }
              : {},
          );
          return { kind: 'azure', credential };
        },
      };
    },
  },
};

/** openAmt.health.secretStores.azure: the portal's Azure identity is used only for these Key Vaults. */
export interface AzureIdentityConfig {
  managedIdentityClientId?: string;
  vaultUrls: string[];
}
