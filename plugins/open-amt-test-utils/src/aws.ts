import { randomUUID } from 'node:crypto';
import {
  ContractRequest,
  ContractResponse,
  ContractServer,
  ContractServerOptions,
  startContractServer,
} from './contractServer';

export interface KmsKey {
  keyId: string;
  arn: string;
  aliases: string[];
  keyState:
    | 'Enabled'
    | 'Disabled'
    | 'PendingDeletion'
    | 'PendingImport'
    | 'PendingReplicaDeletion'
    | 'Unavailable'
    | 'Creating'
    | 'Updating';
  keyUsage:
    | 'ENCRYPT_DECRYPT'
    | 'SIGN_VERIFY'
    | 'GENERATE_VERIFY_MAC'
    | 'KEY_AGREEMENT';
}

interface SecretVersion {
  versionId: string;
  secretString: string;
  stages: string[];
  created: number;
}

export interface StoredSecret {
  name: string;
  arn: string;
  /** ARN of the key the secret is encrypted with (the AWS managed aws/secretsmanager key when none was named). */
  kmsKeyId: string;
  /** KmsKeyId exactly as CreateSecret was given it, if at all. */
  requestedKmsKeyId?: string;
  description?: string;
  versions: SecretVersion[];
  created: number;
  /** Set while the secret is scheduled for deletion (DeleteSecret with a recovery window): the end of the window. */
  deletedDate?: number;
}

export interface AwsState {
  region: string;
  accountId: string;
  /** Access key ids accepted in the SigV4 Credential scope. */
  accessKeyIds: string[];
  /** Operations (X-Amz-Target) refused with AccessDeniedException, e.g. `secretsmanager.DescribeSecret`. */
  deniedTargets: string[];
  keys: KmsKey[];
  secrets: Record<string, StoredSecret>;
  /**
   * After a force delete, how many CreateSecret calls of that name are still refused (InvalidRequestException) while
   * the name is not yet free: AWS deletes asynchronously and tells callers to back off and retry (API reference,
   * DeleteSecret ForceDeleteWithoutRecovery). 0 by default; the error AWS answers with then is not verified.
   */
  purgeLag: number;
  /** Names being purged: CreateSecret refusals left. */
  purging: Record<string, number>;
}

export type AwsContractServer = ContractServer<AwsState> & {
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Id of the customer key created at start. */
  keyId: string;
};

const awsError = (
  type: string,
  message: string,
  status = 400,
): ContractResponse => ({
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${type}:`,
  },
  body: { __type: type, message },
});
const ok = (body: unknown): ContractResponse => ({
  status: 200,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  },
  body,
});
const epoch = () => Date.now() / 1000;

function findKey(s: AwsState, id: string | undefined): KmsKey | undefined {
  if (!id) return undefined;
  return s.keys.find(
    k =>
      k.keyId === id ||
      k.arn === id ||
      k.aliases.includes(id) ||
      k.aliases.some(a => id.endsWith(`:${a}`)),
  );
}

function findSecret(
  s: AwsState,
  id: string | undefined,
): StoredSecret | undefined {
  if (!id) return undefined;
  return s.secrets[id] ?? Object.values(s.secrets).find(x => x.arn === id);
}

function keyMetadata(s: AwsState, k: KmsKey) {
  return {
    AWSAccountId: s.accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: epoch(),
    Enabled: k.keyState === 'Enabled',
    Description: 'open-amt test key',
    KeyUsage: k.keyUsage,
    KeyState: k.keyState,
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(k.keyState === 'PendingDeletion'
      ? { DeletionDate: epoch() + 7 * 86400, PendingDeletionWindowInDays: 7 }
      : {}),
  };
}

function usableKey(s: AwsState, id: string | undefined): KmsKey | undefined {
  const key = findKey(s, id ?? 'alias/aws/secretsmanager');
  return key && key.keyState === 'Enabled' && key.keyUsage === 'ENCRYPT_DECRYPT'
    ? key
    : undefined;
}

const OPERATIONS: Record<string, (body: any, s: AwsState) => ContractResponse> =
  {
    'TrentService.DescribeKey': (body, s) => {
      const key = findKey(s, body?.KeyId);
      if (!key)
        return awsError(
          'NotFoundException',
          `Key '${body?.KeyId}' does not exist`,
        );
      return ok({ KeyMetadata: keyMetadata(s, key) });
    },
    'secretsmanager.CreateSecret': (body, s) => {
      const name = body?.Name;
      if (!name || typeof name !== 'string')
        return awsError(
          'InvalidParameterException',
          'You must provide a Name.',
        );
      // Names: 1-512 of ASCII letters, digits and /_+=.@- (API reference, CreateSecret Name); the error type AWS
      // answers with is not verified here.
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name))
        return awsError(
          'ValidationException',
          'Invalid name: 1-512 ASCII letters, digits and /_+=.@- only.',
        );
      // A name scheduled for deletion is taken until the window ends or it is restored (InvalidRequestException:
      // "the secret is scheduled for deletion").
      const purging = s.purging[name];
      if (purging !== undefined) {
        if (purging > 0) s.purging[name] = purging - 1;
        else delete s.purging[name];
      }
      if (s.secrets[name]?.deletedDate !== undefined || purging)
        return awsError(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      if (s.secrets[name])
        return awsError(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      const key = usableKey(s, body.KmsKeyId);
      if (!key)
        return awsError(
          'EncryptionFailure',
          "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
        );
      const versionId = body.ClientRequestToken ?? randomUUID();
      const arn = `arn:aws:secretsmanager:${s.region}:${
        s.accountId
      }:secret:${name}-${randomUUID().slice(0, 6)}`;
      s.secrets[name] = {
        name,
        arn,
        kmsKeyId: key.arn,
        ...(body.KmsKeyId !== undefined
          ? { requestedKmsKeyId: body.KmsKeyId }
          : {}),
        description: body.Description,
        created: epoch(),
        versions:
          body.SecretString !== undefined
            ? [
                {
                  versionId,
                  secretString: body.SecretString,
                  stages: ['AWSCURRENT'],
                  created: epoch(),
                },
              ]
            : [],
      };
      return ok({
        ARN: arn,
        Name: name,
        ...(body.SecretString !== undefined ? { VersionId: versionId } : {}),
      });
    },
    'secretsmanager.PutSecretValue': (body, s) => {
      const secret = findSecret(s, body?.SecretId);
      if (!secret)
        return awsError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      if (secret.deletedDate !== undefined) return markedForDeletion();
      if (!usableKey(s, secret.kmsKeyId))
        return awsError(
          'EncryptionFailure',
          "Secrets Manager can't encrypt the protected secret text using the provided KMS key.",
        );
      const versionId = body.ClientRequestToken ?? randomUUID();
      for (const v of secret.versions) {
        v.stages = v.stages.includes('AWSCURRENT')
          ? ['AWSPREVIOUS']
          : v.stages.filter(st => st !== 'AWSPREVIOUS');
      }
      secret.versions.push({
        versionId,
        secretString: body.SecretString,
        stages: ['AWSCURRENT'],
        created: epoch(),
      });
      return ok({
        ARN: secret.arn,
        Name: secret.name,
        VersionId: versionId,
        VersionStages: ['AWSCURRENT'],
      });
    },
    'secretsmanager.DescribeSecret': (body, s) => {
      const secret = findSecret(s, body?.SecretId);
      if (!secret)
        return awsError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      return ok({
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        CreatedDate: secret.created,
        LastChangedDate:
          secret.versions[secret.versions.length - 1]?.created ??
          secret.created,
        ...(secret.deletedDate !== undefined
          ? { DeletedDate: secret.deletedDate }
          : {}),
        VersionIdsToStages: Object.fromEntries(
          secret.versions
            .filter(v => v.stages.length)
            .map(v => [v.versionId, v.stages]),
        ),
      });
    },
    'secretsmanager.GetSecretValue': (body, s) => {
      const secret = findSecret(s, body?.SecretId);
      const stage = body?.VersionStage ?? 'AWSCURRENT';
      const version = secret?.versions.find(v =>
        body?.VersionId
          ? v.versionId === body.VersionId
          : v.stages.includes(stage),
      );
      if (secret?.deletedDate !== undefined) return markedForDeletion();
      if (!secret || !version)
        return awsError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      if (!usableKey(s, secret.kmsKeyId))
        return awsError(
          'DecryptionFailure',
          "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
        );
      return ok({
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: version.created,
      });
    },
    /**
     * A recovery window of 7-30 days (default 30) keeps the secret, unreadable, until DeletedDate; without recovery it
     * is gone (and a force delete of an absent secret succeeds). API reference, DeleteSecret.
     */
    'secretsmanager.DeleteSecret': (body, s) => {
      const force = body?.ForceDeleteWithoutRecovery === true;
      const days = body?.RecoveryWindowInDays;
      if (force && days !== undefined)
        return awsError(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      if (days !== undefined && (days < 7 || days > 30))
        return awsError(
          'InvalidParameterException',
          'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
        );
      const secret = findSecret(s, body?.SecretId);
      if (!secret) {
        if (force) return ok({ Name: body?.SecretId, DeletionDate: epoch() });
        return awsError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      if (force) {
        delete s.secrets[secret.name];
        if (s.purgeLag > 0) s.purging[secret.name] = s.purgeLag;
        return ok({
          ARN: secret.arn,
          Name: secret.name,
          DeletionDate: epoch(),
        });
      }
      if (secret.deletedDate !== undefined) return markedForDeletion();
      secret.deletedDate = epoch() + (days ?? 30) * 86400;
      return ok({
        ARN: secret.arn,
        Name: secret.name,
        DeletionDate: secret.deletedDate,
      });
    },
    /** Cancels a scheduled deletion: the secret and its versions are readable again (API reference, RestoreSecret). */
    'secretsmanager.RestoreSecret': (body, s) => {
      const secret = findSecret(s, body?.SecretId);
      if (!secret)
        return awsError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      delete secret.deletedDate;
      return ok({ ARN: secret.arn, Name: secret.name });
    },
  };

function markedForDeletion(): ContractResponse {
  return awsError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );
}

function handle(req: ContractRequest, s: AwsState): ContractResponse {
  if (req.method !== 'POST' || req.path !== '/')
    return awsError('UnknownOperationException', 'Unknown operation', 404);
  const target = String(req.headers['x-amz-target'] ?? '');
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/x-amz-json-1.1'))
    return awsError(
      'SerializationException',
      'Expected application/x-amz-json-1.1',
    );
  // SigV4: Credential=<access key id>/<date>/<region>/<service>/aws4_request
  const scope =
    /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(req.headers.authorization ?? ''),
    );
  if (!scope)
    return awsError(
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      400,
    );
  const [, accessKeyId, region, service] = scope;
  if (!s.accessKeyIds.includes(accessKeyId)) {
    return awsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const expectedService = target.startsWith('TrentService.')
    ? 'kms'
    : 'secretsmanager';
  if (region !== s.region || service !== expectedService) {
    return awsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service (${s.region}/${expectedService}).`,
    );
  }
  if (s.deniedTargets.includes(target)) {
    return awsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${
        s.accountId
      }:user/portal is not authorized to perform: ${target
        .replace('TrentService.', 'kms:')
        .replace('secretsmanager.', 'secretsmanager:')}`,
    );
  }
  const operation = OPERATIONS[target];
  if (!operation)
    return awsError(
      'UnknownOperationException',
      `Unsupported operation ${target}`,
    );
  return operation(req.json() ?? {}, s);
}

/**
 * AWS KMS + Secrets Manager stand-in speaking the JSON 1.1 protocol (POST / with X-Amz-Target): TrentService.DescribeKey,
 * secretsmanager.CreateSecret / PutSecretValue / DescribeSecret / GetSecretValue / DeleteSecret / RestoreSecret
 * (recovery window: a secret scheduled for deletion is unreadable, unwritable and keeps its name until restored;
 * force delete frees the name at once, where AWS documents a short asynchronous delay), with the documented error
 * shapes ({"__type": "ResourceExistsException", "message": …}). Requests must carry a SigV4 Authorization header
 * scoped to a known access key, the region and the service (the signature itself is not recomputed).
 * Point both SDK clients at `url` with `endpoint`.
 */
export async function startAwsServer(
  options: ContractServerOptions & {
    region?: string;
    state?: Partial<AwsState>;
  } = {},
): Promise<AwsContractServer> {
  const region = options.region ?? 'eu-west-1';
  const accountId = '123456789012';
  const credentials = {
    accessKeyId: `AKIATEST${randomUUID().slice(0, 8).toUpperCase()}`,
    secretAccessKey: randomUUID(),
  };
  const keyId = randomUUID();
  const managedKeyId = randomUUID();
  const state: AwsState = {
    region,
    accountId,
    accessKeyIds: [credentials.accessKeyId],
    deniedTargets: [],
    keys: [
      {
        keyId,
        arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`,
        aliases: ['alias/open-amt'],
        keyState: 'Enabled',
        keyUsage: 'ENCRYPT_DECRYPT',
      },
      // The AWS managed key CreateSecret uses when no KmsKeyId is given.
      {
        keyId: managedKeyId,
        arn: `arn:aws:kms:${region}:${accountId}:key/${managedKeyId}`,
        aliases: ['alias/aws/secretsmanager'],
        keyState: 'Enabled',
        keyUsage: 'ENCRYPT_DECRYPT',
      },
    ],
    secrets: {},
    purgeLag: 0,
    purging: {},
    ...options.state,
  };
  const server = await startContractServer(state, handle, options);
  return Object.assign(server, { credentials, keyId });
}
