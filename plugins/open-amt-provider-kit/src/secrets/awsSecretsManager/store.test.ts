import {
  CreateSecretCommand,
  DeleteSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  AwsContractServer,
  startAwsServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { createServer } from 'node:net';
import { AwsSecretsManagerStore, AwsSecretsManagerStoreOptions } from '.';

/**
 * The store through the real SDK (@aws-sdk/client-secrets-manager) against the Secrets Manager contract server
 * (open-amt-test-utils aws.ts: JSON 1.1 protocol, SigV4 scope checked, recovery window and restore modelled on the
 * API reference).
 */
const SECRETS_PATH = 'open-amt-prod-';
const DEVICE = 'devices/4c4c4544-004b-4210-8033-b6c04f504633';

let aws: AwsContractServer;

const clientFor = (endpoint: string, maxAttempts = 1) =>
  new SecretsManagerClient({
    region: aws.state.region,
    endpoint,
    credentials: aws.credentials,
    maxAttempts,
  });

function storeFor(
  options: Partial<AwsSecretsManagerStoreOptions> = {},
  endpoint = aws.url,
) {
  return new AwsSecretsManagerStore(clientFor(endpoint), {
    secretsPath: SECRETS_PATH,
    kmsKeyId: aws.keyId,
    createBackoffMs: 1,
    ...options,
  });
}

/** Someone else (console, CLI, an older provider) deletes with a recovery window. */
const scheduleDeletion = (name: string) =>
  clientFor(aws.url).send(
    new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }),
  );

/** The store with write()'s restore of a name scheduled for deletion taken out (injected defect). */
function storeWithoutRestore() {
  const store = storeFor();
  Object.assign(store, { restoreIfScheduled: async () => false });
  return store;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

beforeEach(async () => {
  aws = await startAwsServer({ region: 'eu-west-1' });
});
afterEach(async () => {
  await aws.close();
});

describe('reading: absent is null, failing throws', () => {
  it('answers null for a secret that does not exist', async () => {
    await expect(storeFor().read(DEVICE)).resolves.toBeNull();
  });

  it('throws when Secrets Manager answers 500 (a hiccup is never "no secret")', async () => {
    aws.failNext(500, 1);
    await expect(storeFor().read(DEVICE)).rejects.toThrow(
      /read of open-amt-prod-devices\/4c4c4544-004b-4210-8033-b6c04f504633 failed/,
    );
  });

  it('throws when the endpoint refuses the connection', async () => {
    const store = storeFor({}, `http://127.0.0.1:${await closedPort()}`);
    await expect(store.read(DEVICE)).rejects.toThrow(/failed: .*ECONNREFUSED/);
  });

  it('throws for a secret whose value is not a JSON object, without showing it', async () => {
    await clientFor(aws.url).send(
      new CreateSecretCommand({
        Name: `${SECRETS_PATH}MPSCerts`,
        KmsKeyId: aws.keyId,
        SecretString: 'not-json-s3cret',
      }),
    );
    const read = storeFor().read('MPSCerts');
    await expect(read).rejects.toThrow(/does not hold a JSON object/);
    await expect(read).rejects.not.toThrow(/s3cret/);
  });
});

describe('writing', () => {
  it('round-trips an entry with its version, and a rewrite makes a new version', async () => {
    const store = storeFor();
    const first = await store.write(DEVICE, {
      AMT_PASSWORD: 'a1',
      MEBX_PASSWORD: 'm1',
    });
    const stored = aws.state.secrets[`${SECRETS_PATH}${DEVICE}`];
    expect(first.version).toBe(stored.versions[0].versionId);
    await expect(store.read(DEVICE)).resolves.toEqual({
      value: { AMT_PASSWORD: 'a1', MEBX_PASSWORD: 'm1' },
      version: first.version,
    });
    const second = await store.write(DEVICE, { AMT_PASSWORD: 'a2' });
    expect(second.version).not.toBe(first.version);
    await expect(store.read(DEVICE)).resolves.toEqual({
      value: { AMT_PASSWORD: 'a2' },
      version: second.version,
    });
  });

  it("creates new secrets with the deployment's customer-managed KMS key", async () => {
    await storeFor().write(DEVICE, { AMT_PASSWORD: 'a1' });
    const secret = aws.state.secrets[`${SECRETS_PATH}${DEVICE}`];
    expect(secret.requestedKmsKeyId).toBe(aws.keyId);
    expect(secret.kmsKeyId).toBe(aws.state.keys[0].arn);
  });

  it('the key check fails for a store that creates without KmsKeyId (injected defect: AWS managed key)', async () => {
    await storeFor({ kmsKeyId: undefined as unknown as string }).write(DEVICE, {
      AMT_PASSWORD: 'a1',
    });
    const secret = aws.state.secrets[`${SECRETS_PATH}${DEVICE}`];
    expect(secret.requestedKmsKeyId).toBeUndefined();
    expect(secret.kmsKeyId).not.toBe(aws.state.keys[0].arn);
  });

  it('throws when a write fails (500)', async () => {
    aws.failNext(500, 1);
    await expect(
      storeFor().write(DEVICE, { AMT_PASSWORD: 'a1' }),
    ).rejects.toThrow(/write of .* failed/);
  });
});

describe('deleting and writing the same path again', () => {
  it('remove() frees the name at once: anyone may create it again (no recovery window)', async () => {
    const store = storeFor();
    await store.write(DEVICE, { AMT_PASSWORD: 'a1' });
    await store.remove(DEVICE);
    await expect(store.read(DEVICE)).resolves.toBeNull();
    // A plain CreateSecret (the portal, another provider) must succeed, not find the name scheduled for deletion.
    await expect(
      clientFor(aws.url).send(
        new CreateSecretCommand({
          Name: `${SECRETS_PATH}${DEVICE}`,
          KmsKeyId: aws.keyId,
          SecretString: '{}',
        }),
      ),
    ).resolves.toBeDefined();
  });

  it('a delete with a recovery window would keep the name taken (injected defect the test above catches)', async () => {
    const store = storeFor();
    await store.write(DEVICE, { AMT_PASSWORD: 'a1' });
    await scheduleDeletion(`${SECRETS_PATH}${DEVICE}`);
    await expect(
      clientFor(aws.url).send(
        new CreateSecretCommand({
          Name: `${SECRETS_PATH}${DEVICE}`,
          KmsKeyId: aws.keyId,
          SecretString: '{}',
        }),
      ),
    ).rejects.toThrow(/scheduled for deletion/);
  });

  it('remove() of an absent entry is not an error; a failing delete throws', async () => {
    const store = storeFor();
    await expect(store.remove(DEVICE)).resolves.toBeUndefined();
    aws.failNext(500, 1);
    await expect(store.remove(DEVICE)).rejects.toThrow(/delete of .* failed/);
  });

  it('writes a path whose secret is scheduled for deletion: reads null, then restore + put', async () => {
    const store = storeFor();
    const first = await store.write(DEVICE, { AMT_PASSWORD: 'old' });
    await scheduleDeletion(`${SECRETS_PATH}${DEVICE}`);
    await expect(store.read(DEVICE)).resolves.toBeNull();
    const second = await store.write(DEVICE, { AMT_PASSWORD: 'new' });
    expect(second.version).not.toBe(first.version);
    await expect(store.read(DEVICE)).resolves.toEqual({
      value: { AMT_PASSWORD: 'new' },
      version: second.version,
    });
    expect(
      aws.state.secrets[`${SECRETS_PATH}${DEVICE}`].deletedDate,
    ).toBeUndefined();
  });

  it('a store without restore fails that re-create (injected defect)', async () => {
    const store = storeWithoutRestore();
    await store.write(DEVICE, { AMT_PASSWORD: 'old' });
    await scheduleDeletion(`${SECRETS_PATH}${DEVICE}`);
    await expect(store.write(DEVICE, { AMT_PASSWORD: 'new' })).rejects.toThrow(
      /marked for deletion/,
    );
  });

  it('re-creates a force-deleted path while AWS still purges the name, retrying CreateSecret', async () => {
    aws.state.purgeLag = 2;
    const store = storeFor();
    await store.write(DEVICE, { AMT_PASSWORD: 'old' });
    await store.remove(DEVICE);
    await store.write(DEVICE, { AMT_PASSWORD: 'new' });
    await expect(store.read(DEVICE)).resolves.toMatchObject({
      value: { AMT_PASSWORD: 'new' },
    });
  });

  it('without those retries the re-create fails (injected defect)', async () => {
    aws.state.purgeLag = 2;
    const store = storeFor({ createAttempts: 1 });
    await store.write(DEVICE, { AMT_PASSWORD: 'old' });
    await store.remove(DEVICE);
    await expect(store.write(DEVICE, { AMT_PASSWORD: 'new' })).rejects.toThrow(
      /create of .* failed: InvalidRequestException/,
    );
  });
});

describe('names', () => {
  /** Path shapes of MPS and RPS at both supported tags (see open-amt-common awsSecretNames.test.ts). */
  const PATHS = [
    DEVICE,
    'MPSCerts',
    'profiles/acm-prod_1',
    'profiles/p$@!%*#?&',
    'profiles/~^[]\\()<>:;',
    'TLS/acm-prod_1',
    'CIRAConfigs/cira_config-1',
    'certs/domain_profile-1',
    'Wireless/home5G',
  ];

  it('Secrets Manager accepts the name of every path shape, and each reads back its own entry', async () => {
    const store = storeFor();
    for (const path of PATHS) await store.write(path, { path });
    for (const path of PATHS)
      await expect(store.read(path)).resolves.toMatchObject({
        value: { path },
      });
    expect(Object.keys(aws.state.secrets)).toHaveLength(PATHS.length);
  });

  it('unescaped paths are refused by Secrets Manager (injected defect: a store naming secrets_path + path)', async () => {
    const store = storeFor();
    Object.assign(store, { nameOf: (p: string) => `${SECRETS_PATH}${p}` });
    await expect(
      store.write('profiles/p$@!%*#?&', { path: 'x' }),
    ).rejects.toThrow(/ValidationException/);
  });
});

describe('health', () => {
  it('answers with a signed DescribeSecret; a failing store throws', async () => {
    const store = storeFor();
    await expect(store.health()).resolves.toEqual({
      store: 'aws-secrets-manager',
      region: 'eu-west-1',
    });
    aws.state.deniedTargets.push('secretsmanager.DescribeSecret');
    await expect(store.health()).rejects.toThrow(/AccessDeniedException/);
  });
});
