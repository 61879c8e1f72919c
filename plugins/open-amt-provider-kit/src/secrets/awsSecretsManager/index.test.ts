import {
  AwsContractServer,
  startAwsServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  awsSecretsManagerStore,
  awsStoreConfig,
  createMpsAwsSecretManager,
  createRpsAwsSecretManager,
} from '.';
import { recordingLogger } from '../../__testUtils__/keyVault';

/**
 * The store as the services build it: config from `Environment.Config` (rc keys, lower case) and credentials from
 * the SDK's default chain, inside a process whose environment MPS/RPS lower-cased (mps src/index.ts:35-38@v2.34.1,
 * rps src/utils/Environment.ts:14-18@v2.39.4). The access key comes through the environment as the simplest link
 * of the chain; IRSA and ECS roles read their variables the same way (not run here).
 */
let aws: AwsContractServer;
const original = process.env;

beforeEach(async () => {
  aws = await startAwsServer({ region: 'eu-west-1' });
});
afterEach(async () => {
  process.env = original;
  await aws.close();
});

/** process.env as upstream leaves it: names lower-cased (values as parseValue leaves them). */
function upstreamEnvironment() {
  const lowered: Record<string, unknown> = {
    aws_access_key_id: aws.credentials.accessKeyId,
    aws_secret_access_key: aws.credentials.secretAccessKey,
  };
  // Test-only stops, in the SDK's own names: no instance metadata service, no shared files of this machine.
  process.env = {
    ...lowered,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
  } as unknown as NodeJS.ProcessEnv;
}

const host = () => ({
  config: {
    vault_address: aws.url,
    secrets_path: 'open-amt-prod-',
    aws_region: 'eu-west-1',
    aws_kms_key_id: aws.keyId,
  },
});

describe('awsSecretsManagerStore(host)', () => {
  it('signs with the credentials of the lower-cased environment and writes under secrets_path with the key', async () => {
    upstreamEnvironment();
    const store = awsSecretsManagerStore(host());
    await store.write('MPSCerts', { mps_cert: 'pem' });
    await expect(store.read('MPSCerts')).resolves.toMatchObject({
      value: { mps_cert: 'pem' },
    });
    const secret = aws.state.secrets['open-amt-prod-MPSCerts'];
    expect(secret.requestedKmsKeyId).toBe(aws.keyId);
    expect(String(aws.requests[0].headers.authorization)).toContain(
      `Credential=${aws.credentials.accessKeyId}/`,
    );
  });

  it('finds no credentials when the SDK names are not given back (injected defect)', async () => {
    upstreamEnvironment();
    // The factory restores into the object it is given: an unrelated one leaves process.env lower-cased.
    const store = awsSecretsManagerStore(host(), {});
    await expect(store.read('MPSCerts')).rejects.toThrow(
      /credential|Credential/,
    );
    expect(aws.requests).toHaveLength(0);
  });
});

describe('the AWS bundles’ factories', () => {
  it('MPS and RPS share entries through the store: RPS writes a device, MPS reads its credentials; RPS deletes and writes it again', async () => {
    upstreamEnvironment();
    const logger = recordingLogger();
    const mps = createMpsAwsSecretManager(logger, host());
    const rps = createRpsAwsSecretManager(logger, host());
    const guid = '4c4c4544-004b-4210-8033-b6c04f504633';
    const written = await rps.writeSecretWithObject(`devices/${guid}`, {
      AMT_PASSWORD: 'amt-pw',
      MEBX_PASSWORD: 'mebx-pw',
    });
    expect(written?.data.version).toBe(
      aws.state.secrets[`open-amt-prod-devices/${guid}`].versions[0].versionId,
    );
    await expect(mps.getAMTCredentials(guid)).resolves.toEqual([
      'admin',
      'amt-pw',
    ]);
    await expect(rps.deleteSecretAtPath(`devices/${guid}`)).resolves.toBe(true);
    await expect(mps.getAMTCredentials(guid)).resolves.toBeNull();
    await expect(
      rps.writeSecretWithObject(`devices/${guid}`, { AMT_PASSWORD: 'again' }),
    ).resolves.toBeTruthy();
    await expect(mps.getAMTCredentials(guid)).resolves.toEqual([
      'admin',
      'again',
    ]);
    await expect(mps.health()).resolves.toBeDefined();
    expect(logger.lines.join('\n')).not.toMatch(/amt-pw|mebx-pw|again/);
  });

  it('refuse to start without the region and KMS key (no silent default key)', () => {
    const config = { vault_address: aws.url, secrets_path: 'p-' };
    expect(() =>
      createMpsAwsSecretManager(recordingLogger(), { config }),
    ).toThrow(/aws_region, aws_kms_key_id/);
    expect(() =>
      createRpsAwsSecretManager(recordingLogger(), { config }),
    ).toThrow(/aws_region, aws_kms_key_id/);
  });
});

describe('awsStoreConfig', () => {
  it('names every missing setting and never a value', () => {
    expect(() =>
      awsStoreConfig({ vault_address: 'https://x', secrets_path: 'p-' }),
    ).toThrow(/lacks aws_region, aws_kms_key_id/);
  });

  it('takes values parseValue made numbers back as strings', () => {
    expect(
      awsStoreConfig({
        vault_address: 'https://secretsmanager.eu-west-1.amazonaws.com',
        secrets_path: 'p-',
        aws_region: 'eu-west-1',
        aws_kms_key_id: 1234,
      }),
    ).toEqual({
      endpoint: 'https://secretsmanager.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      kmsKeyId: '1234',
      secretsPath: 'p-',
    });
  });
});
