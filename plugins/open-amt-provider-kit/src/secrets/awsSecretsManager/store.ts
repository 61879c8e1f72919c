import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsRuntimeSecretName } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretEntryStore, StoredEntry } from '../store';

/** Runtime name probed by health(): never written, so "not found" proves a signed request was answered. */
const HEALTH_CANARY = 'open-amt-health-canary';

export interface AwsSecretsManagerStoreOptions {
  /** Name prefix of the service's runtime secrets (`secrets_path`). */
  secretsPath: string;
  /** The deployment's customer-managed KMS key: every secret this store creates is encrypted with it. */
  kmsKeyId: string;
  /**
   * CreateSecret attempts while a force-deleted name is still being purged (AWS deletes asynchronously and asks
   * callers to back off and retry, API reference DeleteSecret ForceDeleteWithoutRecovery), and the first pause.
   */
  createAttempts?: number;
  createBackoffMs?: number;
}

const errorName = (error: unknown) =>
  error instanceof Error ? error.name : undefined;

/** A store failure naming the operation, the secret and the AWS error, never a value. */
function failure(operation: string, name: string, error: unknown): Error {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new Error(`Secrets Manager ${operation} ${name} failed: ${text}`, {
    cause: error,
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Entries as Secrets Manager secrets: one secret per path, named `secrets_path` + path (awsRuntimeSecretName), its
 * SecretString the entry's JSON object, its version the VersionId.
 *
 * Deleting: remove() deletes without a recovery window (ForceDeleteWithoutRecovery). A recovery window would keep
 * the name taken (CreateSecret refuses a name scheduled for deletion, PutSecretValue and GetSecretValue refuse the
 * secret: InvalidRequestException, "the secret is scheduled for deletion") for 7-30 days, and RPS deletes and
 * re-creates the same paths (profiles/<name> on rename, devices/<guid> on re-activation). The trade-off: a removed
 * entry (an old device's AMT password, a deleted profile's) cannot be recovered in AWS; upstream's Vault provider
 * deletes permanently too (mps src/secrets/vault/index.ts:84-93@v2.34.1: metadata delete, all versions).
 * A secret someone else scheduled for deletion (console, CLI) is restored by write() before writing: RestoreSecret
 * then PutSecretValue; it keeps its earlier versions (AWSPREVIOUS) and its KMS key.
 */
export class AwsSecretsManagerStore implements SecretEntryStore {
  private readonly createAttempts: number;
  private readonly createBackoffMs: number;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: AwsSecretsManagerStoreOptions,
  ) {
    this.createAttempts = options.createAttempts ?? 6;
    this.createBackoffMs = options.createBackoffMs ?? 250;
  }

  /** The secret's name; throws for a path Secrets Manager cannot name. */
  nameOf(path: string): string {
    return awsRuntimeSecretName(this.options.secretsPath, path);
  }

  async read(path: string): Promise<StoredEntry | null> {
    const name = this.nameOf(path);
    let answer;
    try {
      answer = await this.client.send(
        new GetSecretValueCommand({ SecretId: name }),
      );
    } catch (error) {
      // Absent, or no AWSCURRENT version (a secret created without a value): no entry.
      if (errorName(error) === 'ResourceNotFoundException') return null;
      // Scheduled for deletion: deleted as far as the services go. Any other InvalidRequestException is a failure.
      if (
        errorName(error) === 'InvalidRequestException' &&
        (await this.deletionState(name)) === 'scheduled'
      )
        return null;
      throw failure('read of', name, error);
    }
    const value = parseEntry(answer.SecretString);
    if (!value)
      throw new Error(
        `Secrets Manager secret ${name} does not hold a JSON object (SecretString)`,
      );
    return { value, version: answer.VersionId ?? '' };
  }

  async write(
    path: string,
    value: Record<string, unknown>,
  ): Promise<{ version: string }> {
    const name = this.nameOf(path);
    const secretString = JSON.stringify(value);
    try {
      return await this.put(name, secretString);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException')
        return this.create(name, secretString);
      if (await this.restoreIfScheduled(name, error))
        return this.put(name, secretString).catch(e => {
          throw failure('write of', name, e);
        });
      throw failure('write of', name, error);
    }
  }

  async remove(path: string): Promise<void> {
    const name = this.nameOf(path);
    try {
      await this.client.send(
        new DeleteSecretCommand({
          SecretId: name,
          ForceDeleteWithoutRecovery: true,
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw failure('delete of', name, error);
    }
  }

  async health(): Promise<Record<string, unknown>> {
    const name = this.nameOf(HEALTH_CANARY);
    try {
      await this.client.send(new DescribeSecretCommand({ SecretId: name }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException')
        throw failure('health check (DescribeSecret) of', name, error);
    }
    return {
      store: 'aws-secrets-manager',
      region: await this.client.config.region(),
    };
  }

  private async put(name: string, secretString: string) {
    const answer = await this.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: secretString }),
    );
    return { version: answer.VersionId ?? '' };
  }

  /** CreateSecret with the deployment's key; a name still taken is restored, retried or, if it exists now, put. */
  private async create(
    name: string,
    secretString: string,
  ): Promise<{ version: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.client.send(
          new CreateSecretCommand({
            Name: name,
            KmsKeyId: this.options.kmsKeyId,
            SecretString: secretString,
            Description: 'Open AMT runtime secret (open-amt-provider-kit)',
          }),
        );
        return { version: answer.VersionId ?? '' };
      } catch (error) {
        // Another writer created it between our put and create.
        if (errorName(error) === 'ResourceExistsException')
          return this.put(name, secretString).catch(e => {
            throw failure('write of', name, e);
          });
        if (await this.restoreIfScheduled(name, error))
          return this.put(name, secretString).catch(e => {
            throw failure('write of', name, e);
          });
        // Refused although no secret of that name exists: a force delete still being purged.
        const purging =
          errorName(error) === 'InvalidRequestException' &&
          (await this.deletionState(name)) === 'absent';
        if (!purging || attempt >= this.createAttempts)
          throw failure('create of', name, error);
        await sleep(this.createBackoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /** After an InvalidRequestException: restores the secret when it is scheduled for deletion; true if it did. */
  private async restoreIfScheduled(
    name: string,
    error: unknown,
  ): Promise<boolean> {
    if (errorName(error) !== 'InvalidRequestException') return false;
    if ((await this.deletionState(name)) !== 'scheduled') return false;
    try {
      await this.client.send(new RestoreSecretCommand({ SecretId: name }));
    } catch (restoreError) {
      throw failure('restore of', name, restoreError);
    }
    return true;
  }

  /** DescribeSecret: DeletedDate is set while the secret is scheduled for deletion (API reference). */
  private async deletionState(
    name: string,
  ): Promise<'scheduled' | 'live' | 'absent'> {
    try {
      const described = await this.client.send(
        new DescribeSecretCommand({ SecretId: name }),
      );
      return described.DeletedDate ? 'scheduled' : 'live';
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return 'absent';
      throw failure('describe of', name, error);
    }
  }
}

function parseEntry(
  secretString: string | undefined,
): Record<string, unknown> | undefined {
  if (secretString === undefined) return undefined;
  try {
    const parsed = JSON.parse(secretString);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}
