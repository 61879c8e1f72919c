import type { SecretsSpec } from '@open-amt-backstage/plugin-open-amt-common';
import {
  AwsContractServer,
  startAwsServer,
  startSilentSocketServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { closeIdleProbeConnections, createHostGuard } from '../net';
import type { ProbeContext, SecretStoreAuth } from '../types';
import { awsKmsAdapter } from './awsKms';
import { parseSecretRef } from './refs';

const ctx = (timeoutMs = 3000): ProbeContext => ({
  timeoutMs,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1/8'] }),
});

describe('awsKmsAdapter (real @aws-sdk clients against the KMS + Secrets Manager contract server)', () => {
  let aws: AwsContractServer;
  let spec: Extract<SecretsSpec, { provider: 'aws-kms' }>;
  let auth: SecretStoreAuth;

  beforeEach(async () => {
    aws = await startAwsServer({ region: 'eu-west-1' });
    spec = {
      provider: 'aws-kms',
      region: 'eu-west-1',
      kmsKeyId: aws.keyId,
      prefix: 'open-amt/prod',
      endpoint: aws.url,
    };
    auth = { kind: 'aws', credentials: aws.credentials };
  });
  afterEach(() => aws.close());
  afterAll(() => closeIdleProbeConnections());

  it('creates one secret per entry, encrypted with the configured KMS key, and reads it back', async () => {
    const results = await awsKmsAdapter.write(
      spec,
      auth,
      { mps: { jwtSecret: 'abc-DEF-123' } },
      { rotate: false },
    );
    const stored = aws.state.secrets['open-amt/prod/mps'];
    expect(results).toEqual([
      {
        ref: 'aws-kms:eu-west-1/open-amt/prod/mps',
        written: true,
        // The VersionId Secrets Manager gave the new value.
        version: stored.versions[0].versionId,
      },
    ]);
    expect(stored.kmsKeyId).toBe(aws.state.keys[0].arn);
    const create = aws.requests.find(
      r => r.headers['x-amz-target'] === 'secretsmanager.CreateSecret',
    );
    expect(create?.json()).toMatchObject({
      Name: 'open-amt/prod/mps',
      KmsKeyId: aws.keyId,
    });
    expect(create?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIATEST\w+\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/,
    );
    await expect(awsKmsAdapter.read(spec, auth, 'mps')).resolves.toEqual({
      jwtSecret: 'abc-DEF-123',
    });
    await expect(
      awsKmsAdapter.read(spec, auth, 'absent'),
    ).resolves.toBeUndefined();
  });

  it('never overwrites without rotate (ResourceExistsException), and PutSecretValue only with rotate', async () => {
    await awsKmsAdapter.write(
      spec,
      auth,
      { mps: { v: 'first' } },
      { rotate: false },
    );
    const again = await awsKmsAdapter.write(
      spec,
      auth,
      { mps: { v: 'second' } },
      { rotate: false },
    );
    expect(again[0].written).toBe(false);
    expect(
      aws.requests.some(
        r => r.headers['x-amz-target'] === 'secretsmanager.PutSecretValue',
      ),
    ).toBe(false);
    await expect(awsKmsAdapter.read(spec, auth, 'mps')).resolves.toEqual({
      v: 'first',
    });
    const rotated = await awsKmsAdapter.write(
      spec,
      auth,
      { mps: { v: 'second' } },
      { rotate: true },
    );
    expect(rotated[0].written).toBe(true);
    await expect(awsKmsAdapter.read(spec, auth, 'mps')).resolves.toEqual({
      v: 'second',
    });
    expect(
      aws.state.secrets['open-amt/prod/mps'].versions.map(v => v.stages),
    ).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
  });

  it('fails on unknown credentials and on a disabled key, writing nothing', async () => {
    const stranger: SecretStoreAuth = {
      kind: 'aws',
      credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
    };
    await expect(
      awsKmsAdapter.write(
        spec,
        stranger,
        { mps: { v: 'x' } },
        { rotate: false },
      ),
    ).rejects.toThrow(/UnrecognizedClientException/);
    aws.state.keys[0].keyState = 'Disabled';
    await expect(
      awsKmsAdapter.write(spec, auth, { mps: { v: 'x' } }, { rotate: false }),
    ).rejects.toThrow(/EncryptionFailure/);
    expect(aws.state.secrets).toEqual({});
  });

  describe('probe', () => {
    it('is healthy when the key is Enabled and Secrets Manager answers', async () => {
      const result = await awsKmsAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({
        status: 'healthy',
        details: {
          keyState: 'Enabled',
          canaryFound: false,
          region: 'eu-west-1',
        },
      });
      expect(aws.requests.map(r => r.headers['x-amz-target'])).toEqual([
        'TrentService.DescribeKey',
        'secretsmanager.DescribeSecret',
      ]);
    });

    it.each([
      ['Disabled', 'down'],
      ['PendingDeletion', 'down'],
      ['Unavailable', 'down'],
      ['Updating', 'degraded'],
    ] as const)('key state %s → %s', async (keyState, status) => {
      aws.state.keys[0].keyState = keyState;
      const result = await awsKmsAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({ status, details: { keyState } });
      expect(result.message).toMatch(new RegExp(`KMS key is ${keyState}`));
    });

    it('is down when the key does not exist or is not an encryption key', async () => {
      await expect(
        awsKmsAdapter.probe(
          { ...spec, kmsKeyId: 'alias/missing' },
          auth,
          ctx(),
        ),
      ).resolves.toMatchObject({
        status: 'down',
        details: { keyState: 'NotFound' },
      });
      aws.state.keys[0].keyUsage = 'SIGN_VERIFY';
      await expect(
        awsKmsAdapter.probe(spec, auth, ctx()),
      ).resolves.toMatchObject({ status: 'down' });
    });

    it('is degraded when the portal identity may not describe secrets', async () => {
      aws.state.deniedTargets.push('secretsmanager.DescribeSecret');
      const result = await awsKmsAdapter.probe(spec, auth, ctx());
      expect(result).toMatchObject({
        status: 'degraded',
        details: { accessProblem: 'secretsmanager:DescribeSecret' },
      });
    });

    it('is down within the budget when the endpoint never answers', async () => {
      const silent = await startSilentSocketServer();
      try {
        const started = Date.now();
        const result = await awsKmsAdapter.probe(
          { ...spec, endpoint: silent.url },
          auth,
          ctx(300),
        );
        expect(result).toMatchObject({
          status: 'down',
          details: { failure: 'timeout' },
        });
        expect(Date.now() - started).toBeLessThan(700);
      } finally {
        await silent.close();
      }
    });

    it('is unknown when the endpoint is a metadata address', async () => {
      const result = await awsKmsAdapter.probe(
        { ...spec, endpoint: 'http://169.254.169.254' },
        auth,
        ctx(),
      );
      expect(result).toMatchObject({
        status: 'unknown',
        details: { failure: 'host_not_allowed' },
      });
    });
  });

  it('builds references that parseSecretRef reads back', () => {
    expect(parseSecretRef(awsKmsAdapter.refFor(spec, 'mps'))).toEqual({
      provider: 'aws-kms',
      region: 'eu-west-1',
      prefix: 'open-amt/prod',
      name: 'mps',
      secretName: 'open-amt/prod/mps',
    });
  });
});
