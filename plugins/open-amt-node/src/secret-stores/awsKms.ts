import { InputError, toError } from '@backstage/errors';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { OPEN_AMT_ANNOTATIONS } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  HealthStatus,
  SecretsSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
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
import { awsKmsRef, awsSecretName, locateAwsKmsRef } from './refs';
import { createAwsRequestHandler, transportFailureOf } from './sdkTransports';
import { CANARY_SECRET_NAME, worst } from './shared';

type AwsSpec = Extract<SecretsSpec, { provider: 'aws-kms' }>;
type AwsError = Error & { $metadata?: { httpStatusCode?: number } };

/** KMS key states (DescribeKey KeyMetadata.KeyState) and what they mean for encrypting secrets. */
const KEY_STATES: Record<string, HealthStatus> = {
  Enabled: 'healthy',
  Disabled: 'down',
  PendingDeletion: 'down',
  PendingReplicaDeletion: 'down',
  Unavailable: 'down',
  PendingImport: 'down',
  Creating: 'degraded',
  Updating: 'degraded',
};

function clients(
  spec: AwsSpec,
  auth: SecretStoreAuth,
  nextCtx: () => ProbeContext,
  probe?: { onResponse(ms: number): void },
) {
  if (auth.kind !== 'aws')
    throw new Error(`AWS needs an aws identity, got ${auth.kind}`);
  const config = {
    region: spec.region,
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
    ...(auth.credentials ? { credentials: auth.credentials } : {}),
    requestHandler: createAwsRequestHandler(
      nextCtx,
      auth.ca,
      probe?.onResponse,
    ),
    maxAttempts: probe ? 1 : 3,
  };
  return { sm: new SecretsManagerClient(config), kms: new KMSClient(config) };
}

const reason = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0] : String(error);
const isCredentialError = (error: unknown) =>
  ['CredentialsProviderError', 'ProviderError'].includes(toError(error).name);

async function checkKey(kms: KMSClient, spec: AwsSpec) {
  try {
    const { KeyMetadata: key } = await kms.send(
      new DescribeKeyCommand({ KeyId: spec.kmsKeyId }),
    );
    const state = key?.KeyState ?? 'unknown';
    const details = {
      keyState: state,
      keyId: key?.KeyId,
      keySpec: key?.KeySpec,
      keyManager: key?.KeyManager,
    };
    if (key?.KeyUsage && key.KeyUsage !== 'ENCRYPT_DECRYPT') {
      return {
        status: 'down' as HealthStatus,
        issue: `KMS key is for ${key.KeyUsage}, Secrets Manager needs an encryption key`,
        details,
      };
    }
    const status = KEY_STATES[state] ?? 'degraded';
    return {
      status,
      issue: status === 'healthy' ? undefined : `KMS key is ${state}`,
      details,
    };
  } catch (error) {
    if (transportFailureOf(error) || isCredentialError(error)) throw error;
    const name = toError(error).name;
    if (name === 'NotFoundException')
      return {
        status: 'down' as HealthStatus,
        issue: 'KMS key does not exist',
        details: { keyState: 'NotFound' },
      };
    if (name === 'AccessDeniedException') {
      return {
        status: 'degraded' as HealthStatus,
        issue:
          'the portal identity may not describe the KMS key (kms:DescribeKey)',
        details: { accessProblem: 'kms:DescribeKey' },
      };
    }
    return {
      status: 'down' as HealthStatus,
      issue: `KMS DescribeKey failed: ${name}`,
      details: {},
    };
  }
}

async function checkSecretsManager(sm: SecretsManagerClient, spec: AwsSpec) {
  const secretId = awsSecretName(spec.prefix, CANARY_SECRET_NAME);
  try {
    await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
    return {
      status: 'healthy' as HealthStatus,
      details: { canary: secretId, canaryFound: true },
    };
  } catch (error) {
    if (transportFailureOf(error) || isCredentialError(error)) throw error;
    const name = toError(error).name;
    // Not found proves the service answered our signed request: the canary is never written.
    if (name === 'ResourceNotFoundException')
      return {
        status: 'healthy' as HealthStatus,
        details: { canary: secretId, canaryFound: false },
      };
    if (name === 'AccessDeniedException') {
      return {
        status: 'degraded' as HealthStatus,
        issue:
          'the portal identity may not describe secrets (secretsmanager:DescribeSecret)',
        details: { accessProblem: 'secretsmanager:DescribeSecret' },
      };
    }
    return {
      status: 'down' as HealthStatus,
      issue: `Secrets Manager DescribeSecret failed: ${name}`,
      details: {},
    };
  }
}

/**
 * AWS: values in Secrets Manager (one secret per entry holding JSON, named `<prefix>/<name>`), encrypted with
 * the customer KMS key spec.kmsKeyId. CreateSecret never overwrites; PutSecretValue only when `rotate`.
 */
/**
 * Without credentials nothing can be signed: an unsigned request to the Secrets Manager endpoint is refused by AWS
 * with its request id (x-amzn-requestid), which shows the endpoint is reachable and is AWS, and nothing more.
 */
async function probeWithoutSignature(
  spec: AwsSpec,
  ctx: ProbeContext,
  ca?: string,
): Promise<ProbeResult> {
  const endpoint =
    spec.endpoint ?? `https://secretsmanager.${spec.region}.amazonaws.com`;
  const subject = `Secrets Manager at ${redactUrl(endpoint)}`;
  const result = await probeHttp(`${endpoint.replace(/\/+$/, '')}/`, ctx, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.ListSecrets',
    },
    body: '{}',
    ca,
    maxRedirects: 0,
  });
  if (result.kind === 'failure') return failureToProbeResult(subject, result);
  const fromAws = Boolean(result.headers['x-amzn-requestid']);
  return {
    status: fromAws ? 'healthy' : 'down',
    latencyMs: result.latencyMs,
    message: fromAws
      ? `${subject} is reachable and refuses unsigned requests (checked without credentials: the KMS key and secrets were not checked).`
      : `${subject} answered HTTP ${result.status} without an AWS request id: it does not look like Secrets Manager.`,
    details: {
      httpStatus: result.status,
      credentials: 'none',
      region: spec.region,
    },
  };
}

/** Secrets Manager's VersionId of a write (the previous version stays readable as AWSPREVIOUS). */
const versionOf = (out: { VersionId?: string }) =>
  out.VersionId ? { version: out.VersionId } : {};

export const awsKmsAdapter: SecretStoreAdapter<SecretsSpec, AwsIdentityConfig> =
  {
    provider: 'aws-kms',

    refFor(spec, name) {
      return awsKmsRef(spec as AwsSpec, name);
    },

    async probe(rawSpec, auth, ctx): Promise<ProbeResult> {
      const spec = rawSpec as AwsSpec;
      const subject = `AWS KMS key and Secrets Manager in ${spec.region}`;
      if (auth.kind === 'anonymous')
        return probeWithoutSignature(spec, ctx, auth.ca);
      const budget = probeBudget(ctx);
      let latencyMs: number | undefined;
      try {
        const { sm, kms } = clients(spec, auth, budget.next, {
          onResponse: ms => (latencyMs = ms),
        });
        const key = await checkKey(kms, spec);
        const secrets = await checkSecretsManager(sm, spec);
        const issues = [key.issue, secrets.issue].filter(Boolean);
        return {
          status: worst([key.status, secrets.status]),
          latencyMs,
          message: issues.length
            ? `${subject}: ${issues.join('; ')}.`
            : `${subject}: key enabled, Secrets Manager answers.`,
          details: { ...key.details, ...secrets.details, region: spec.region },
        };
      } catch (error) {
        const failure = transportFailureOf(error);
        if (failure) return failureToProbeResult(subject, failure);
        if (isCredentialError(error))
          return {
            status: 'unknown',
            message: `The portal has no AWS credentials for ${subject}: ${reason(
              error,
            )}.`,
          };
        return {
          status: 'down',
          latencyMs,
          message: `${subject} failed: ${reason(error)}.`,
        };
      }
    },

    async write(rawSpec, auth, entries, opts) {
      const spec = rawSpec as AwsSpec;
      const ctx = provisioningContext();
      const { sm } = clients(spec, auth, () => ctx);
      const results: SecretWriteResult[] = [];
      for (const [name, values] of Object.entries(entries)) {
        const secretId = awsSecretName(spec.prefix, name);
        const ref = awsKmsRef(spec, name);
        const SecretString = JSON.stringify(values);
        try {
          const created = await sm.send(
            new CreateSecretCommand({
              Name: secretId,
              KmsKeyId: spec.kmsKeyId,
              SecretString,
              Description:
                'Open AMT deployment secret (managed by open-amt-backstage)',
            }),
          );
          results.push({ ref, written: true, ...versionOf(created) });
        } catch (error) {
          if ((error as AwsError).name !== 'ResourceExistsException') {
            throw new Error(
              `Secrets Manager write to ${ref} failed: ${
                toError(error).name
              }: ${reason(error)}`,
            );
          }
          if (!opts.rotate) {
            results.push({ ref, written: false });
            continue;
          }
          try {
            const put = await sm.send(
              new PutSecretValueCommand({ SecretId: secretId, SecretString }),
            );
            results.push({ ref, written: true, ...versionOf(put) });
          } catch (putError) {
            throw new Error(
              `Secrets Manager rotation of ${ref} failed: ${
                toError(putError).name
              }: ${reason(putError)}`,
            );
          }
        }
      }
      return results;
    },

    async read(rawSpec, auth, name) {
      const spec = rawSpec as AwsSpec;
      const ctx = provisioningContext();
      const { sm } = clients(spec, auth, () => ctx);
      try {
        const res = await sm.send(
          new GetSecretValueCommand({
            SecretId: awsSecretName(spec.prefix, name),
          }),
        );
        if (res.SecretString === undefined) return undefined;
        try {
          const parsed = JSON.parse(res.SecretString);
          if (parsed && typeof parsed === 'object') {
            return Object.fromEntries(
              Object.entries(parsed).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            );
          }
        } catch {
          // not JSON: hand it back whole
        }
        return { value: res.SecretString };
      } catch (error) {
        if (toError(error).name === 'ResourceNotFoundException')
          return undefined;
        // One clause naming the store, what went wrong and the entry (the caller adds what to do).
        const store = `Secrets Manager in ${spec.region}`;
        const failure = transportFailureOf(error);
        throw new Error(
          `${
            failure
              ? describeUnanswered(store, failure)
              : `${store} answered ${toError(error).name} (${reason(error)})`
          } when reading ${awsKmsRef(spec, name)}`,
        );
      }
    },

    specFromAnnotations({ endpoint, mount }) {
      const aws = parseAwsEndpoint(endpoint);
      if (!aws)
        return `${OPEN_AMT_ANNOTATIONS.secretsEndpoint} must be aws:<region>/<kms key id> for AWS KMS.`;
      return { provider: 'aws-kms', ...aws, prefix: mount ?? 'open-amt' };
    },

    locate: locateAwsKmsRef,

    taskAuth(secrets, cfg) {
      const accessKeyId =
        secrets?.awsAccessKeyId ?? cfg?.getOptionalString('aws.accessKeyId');
      const secretAccessKey =
        secrets?.awsSecretAccessKey ??
        cfg?.getOptionalString('aws.secretAccessKey');
      const sessionToken =
        secrets?.awsSessionToken ?? cfg?.getOptionalString('aws.sessionToken');
      if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
        throw new InputError(
          'secrets.awsSecretAccessKey and secrets.awsAccessKeyId must be given together',
        );
      }
      const ca = cfg?.getOptionalString('aws.ca');
      return {
        kind: 'aws',
        ...(accessKeyId && secretAccessKey
          ? {
              credentials: {
                accessKeyId,
                secretAccessKey,
                ...(sessionToken ? { sessionToken } : {}),
              },
            }
          : {}),
        ...(ca ? { ca } : {}),
      };
    },

    portalIdentity: {
      configKey: 'aws',
      readConfig(aws) {
        return {
          region: aws.getOptionalString('region'),
          endpoint: aws.getOptionalString('endpoint'),
        };
      },
      refusal(rawStore, config) {
        const store = rawStore as AwsSpec;
        if (!config?.region)
          return 'the portal has no AWS identity (openAmt.health.secretStores.aws.region)';
        if (store.region !== config.region)
          return `region ${store.region} is not openAmt.health.secretStores.aws.region (${config.region})`;
        if ((store.endpoint ?? '') !== (config.endpoint ?? '')) {
          return `endpoint ${
            store.endpoint ?? '(regional default)'
          } is not openAmt.health.secretStores.aws.endpoint`;
        }
        return undefined;
      },
      credentials() {
        // No explicit keys: the SDK's default chain (environment, web identity, instance role).
        return { authFor: async () => ({ kind: 'aws' }) };
      },
    },
  };

/** openAmt.health.secretStores.aws: the portal's AWS identity is used only in this region (and at this endpoint). */
export interface AwsIdentityConfig {
  region?: string;
  endpoint?: string;
}

/** `aws:<region>/<kms key id>[@<endpoint url>]` (the endpoint override serves private or test endpoints). */
function parseAwsEndpoint(
  value: string,
): { region: string; kmsKeyId: string; endpoint?: string } | undefined {
  const match =
    /^aws:([a-z]{2}(?:-gov)?-[a-z]+-\d)\/([^@\s]+)(?:@(https?:\/\/\S+))?$/.exec(
      value,
    );
  return match
    ? { region: match[1], kmsKeyId: match[2], endpoint: match[3] }
    : undefined;
}
