import { ConfigReader } from '@backstage/config';
import { parseDeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { closeIdleProbeConnections } from '@open-amt-backstage/plugin-open-amt-node';
import {
  AwsContractServer,
  findClosedPortUrl,
  KeyVaultContractServer,
  recordingAuditor,
  startAwsServer,
  startKeyVaultServer,
  startVaultServer,
  VaultContractServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import {
  actionContext,
  CheckpointStore,
} from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { meetsWebAdminPasswordRule } from '../../secrets/generate';
import { createProvisionSecretsAction } from './provisionSecrets';

// The TLS Vault stand-in mints a certificate (an RSA key and a node-forge signature): seconds on a loaded CI machine.
jest.setTimeout(30_000);

const combo = {
  database: 'postgresql',
  gateway: 'kong',
  target: 'compose',
} as const;

describe('open-amt:secrets:provision against Vault (node-vault → Vault contract server)', () => {
  let vault: VaultContractServer;
  let config: ConfigReader;
  const spec = (address: string) =>
    specFor({ ...combo, secrets: 'vault' }, {
      secrets: {
        provider: 'vault',
        address,
        mount: 'kv',
        pathPrefix: 'open-amt',
      },
    } as any);

  beforeEach(async () => {
    vault = await startVaultServer({ tls: true });
    config = new ConfigReader({
      openAmt: { scaffolder: { vault: { ca: vault.ca }, timeoutMs: 3000 } },
    });
  });
  afterEach(() => vault.close());
  afterAll(() => closeIdleProbeConnections());

  /** Provisions `s` with the root token; resolves to the action's log lines. */
  const provisionWithRootToken = async (s: unknown): Promise<string[]> => {
    const { ctx, logLines } = actionContext({
      input: { spec: s },
      secrets: { vaultToken: vault.rootToken },
    });
    await createProvisionSecretsAction({ config }).handler(ctx as any);
    return logLines;
  };

  const kvData = (name: string) => {
    const versions = vault.state.kv[`kv/open-amt/${name}`]?.versions;
    return versions?.[versions.length - 1].data as
      | Record<string, string>
      | undefined;
  };

  it('writes strong values, outputs references only, and keeps values out of logs', async () => {
    const action = createProvisionSecretsAction({ config });
    const { ctx, outputs, logLines } = actionContext({
      input: { spec: spec(vault.url) },
      secrets: { vaultToken: vault.rootToken },
    });
    await action.handler(ctx as any);

    const name = parseDeploymentSpec(spec(vault.url)).name;
    const jwt = kvData(`${name}-jwt`)!;
    expect(jwt.key).toBe('9EmRJTbIiIb4bIeSsmgcWIjrR6HyETqc');
    expect(jwt.secret.length * Math.log2(57)).toBeGreaterThanOrEqual(256);
    expect(jwt.secret).toMatch(/[A-Za-z]/);
    expect(Number.isNaN(Number(jwt.secret))).toBe(true);
    const web = kvData(`${name}-mpsweb`)!;
    expect(meetsWebAdminPasswordRule(web.password)).toBe(true);
    const dbMps = kvData(`${name}-db-mps`)!;
    expect(dbMps.connectionString).toBe(
      `postgresql://${dbMps.user}:${dbMps.password}@db.example.com:5432/mpsdb?sslmode=verify-full`,
    );
    const probe = kvData(`${name}-probe`)!;
    // PostgreSQL: the probe has its own monitoring login (CONNECT only, created by open-amt:database:init).
    // Bound to this deployment's System, database endpoint, TLS mode and store (the health engine checks all four).
    expect(probe).toEqual({
      mpsUser: web.user,
      mpsPassword: web.password,
      dbUser: `${dbMps.user.replace(/_mps$/, '')}_probe`,
      dbPassword: expect.any(String),
      boundEntityRef: `system:default/${name}`,
      boundDatabaseEndpoint: 'db.example.com:5432',
      boundDatabaseTlsMode: 'verify-full',
      boundSecretsEndpoint: vault.url,
    });
    expect(probe.dbPassword.length).toBeGreaterThanOrEqual(32);
    expect(probe.dbPassword).not.toBe(dbMps.password);

    expect(outputs.refs).toEqual({
      jwt: `vault:kv/open-amt/${name}-jwt`,
      mpsweb: `vault:kv/open-amt/${name}-mpsweb`,
      'db-mps': `vault:kv/open-amt/${name}-db-mps`,
      'db-rps': `vault:kv/open-amt/${name}-db-rps`,
      probe: `vault:kv/open-amt/${name}-probe`,
    });
    expect(outputs.written).toEqual([
      'jwt',
      'mpsweb',
      'db-mps',
      'db-rps',
      'probe',
    ]);
    const values = [
      jwt.secret,
      web.password,
      dbMps.password,
      kvData(`${name}-db-rps`)!.password,
      vault.rootToken,
    ];
    const visible = JSON.stringify(outputs) + logLines.join('\n');
    for (const v of values) expect(visible).not.toContain(v);
  });

  it('audits each run: who, which store and which paths, then what was written; never a value', async () => {
    const { auditor, events } = recordingAuditor();
    const action = createProvisionSecretsAction({ config, auditor });
    const run = (rotate: boolean) => {
      const { ctx } = actionContext({
        input: { spec: spec(vault.url), rotate },
        secrets: { vaultToken: vault.rootToken },
      });
      return action.handler({
        ...ctx,
        user: { ref: 'user:default/alice' },
      } as any);
    };
    await run(false);
    await run(true);
    const name = parseDeploymentSpec(spec(vault.url)).name;
    const paths = ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe'].map(
      k => `vault:kv/open-amt/${name}-${k}`,
    );
    expect(events).toEqual([
      {
        options: {
          eventId: 'secrets-provision',
          severityLevel: 'medium',
          meta: {
            deployment: name,
            store: 'vault',
            paths,
            rotate: false,
            actor: 'user:default/alice',
          },
        },
        outcome: {
          type: 'success',
          meta: {
            written: ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe'],
            kept: [],
          },
        },
      },
      {
        // Rotation replaces live credentials: severity high.
        options: expect.objectContaining({
          eventId: 'secrets-provision',
          severityLevel: 'high',
        }),
        outcome: {
          type: 'success',
          meta: {
            written: ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe'],
            kept: [],
          },
        },
      },
    ]);
    const audited = JSON.stringify(events);
    // Every generated secret value (user names and bindings are public and may appear).
    const secretValues = ['jwt', 'mpsweb', 'db-mps', 'db-rps', 'probe']
      .flatMap(entry => Object.entries(kvData(`${name}-${entry}`)!))
      .filter(([key]) => /secret|password|connectionString/i.test(key))
      .map(([, value]) => value);
    expect(secretValues.length).toBeGreaterThanOrEqual(6);
    for (const value of secretValues) expect(audited).not.toContain(value);
    expect(audited).not.toContain(vault.rootToken);
  });

  it('audits a failed write as a failure, naming the store', async () => {
    const { auditor, events } = recordingAuditor();
    const action = createProvisionSecretsAction({ config, auditor });
    const name = parseDeploymentSpec(spec(vault.url)).name;
    vault.failNext(500, 1, `/v1/kv/data/open-amt/${name}-db-rps`);
    const { ctx } = actionContext({
      input: { spec: spec(vault.url) },
      secrets: { vaultToken: vault.rootToken },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow();
    expect(events).toHaveLength(1);
    expect(events[0].outcome).toMatchObject({ type: 'fail' });
    expect(events[0].options.meta).toMatchObject({
      store: 'vault',
      actor: 'unknown',
    });
  });

  it('never overwrites existing values unless rotate is set', async () => {
    const action = createProvisionSecretsAction({ config });
    const name = parseDeploymentSpec(spec(vault.url)).name;
    await action.handler(
      actionContext({
        input: { spec: spec(vault.url) },
        secrets: { vaultToken: vault.rootToken },
      }).ctx as any,
    );
    const first = kvData(`${name}-jwt`)!.secret;

    const again = actionContext({
      input: { spec: spec(vault.url) },
      secrets: { vaultToken: vault.rootToken },
    });
    await action.handler(again.ctx as any);
    expect(kvData(`${name}-jwt`)!.secret).toBe(first);
    expect(again.outputs.kept).toEqual([
      'jwt',
      'mpsweb',
      'db-mps',
      'db-rps',
      'probe',
    ]);

    const rotated = actionContext({
      input: { spec: spec(vault.url), rotate: true },
      secrets: { vaultToken: vault.rootToken },
    });
    await action.handler(rotated.ctx as any);
    expect(kvData(`${name}-jwt`)!.secret).not.toBe(first);
    expect(rotated.outputs.written).toHaveLength(5);
    // probe follows the rotated values
    expect(kvData(`${name}-probe`)!.mpsPassword).toBe(
      kvData(`${name}-mpsweb`)!.password,
    );
  });

  it("refuses a kept web admin password that breaks MPS's rule, before any write, unless rotate", async () => {
    const name = parseDeploymentSpec(spec(vault.url)).name;
    await vault.close();
    const now = new Date().toISOString();
    vault = await startVaultServer({
      tls: true,
      state: {
        kv: {
          [`kv/open-amt/${name}-mpsweb`]: {
            versions: [
              {
                data: { user: 'admin', password: '1' },
                created_time: now,
                deletion_time: '',
                destroyed: false,
              },
            ],
            created_time: now,
            updated_time: now,
          },
        },
      },
    });
    config = new ConfigReader({
      openAmt: { scaffolder: { vault: { ca: vault.ca }, timeoutMs: 3000 } },
    });
    const action = createProvisionSecretsAction({ config });
    await expect(
      action.handler(
        actionContext({
          input: { spec: spec(vault.url) },
          secrets: { vaultToken: vault.rootToken },
        }).ctx as any,
      ),
    ).rejects.toThrow(
      `The web admin password kept in vault:kv/open-amt/${name}-mpsweb does not meet MPS's rule (8 to 32 characters with an upper-case letter, a lower-case letter, a digit and a special character): replace it in the store, or run with rotate to generate one.`,
    );
    expect(kvData(`${name}-jwt`)).toBeUndefined();

    await action.handler(
      actionContext({
        input: { spec: spec(vault.url), rotate: true },
        secrets: { vaultToken: vault.rootToken },
      }).ctx as any,
    );
    expect(meetsWebAdminPasswordRule(kvData(`${name}-mpsweb`)!.password)).toBe(
      true,
    );
  });

  it('rebinds an unbound probe entry, and never carries its password to another database', async () => {
    const name = parseDeploymentSpec(spec(vault.url)).name;
    const run = provisionWithRootToken;
    await run(spec(vault.url));
    const first = kvData(`${name}-probe`)!;
    // As scaffolded before bindings existed: same login, no binding keys.
    const unbound = {
      mpsUser: first.mpsUser,
      mpsPassword: first.mpsPassword,
      dbUser: first.dbUser,
      dbPassword: first.dbPassword,
    };
    vault.state.kv[`kv/open-amt/${name}-probe`].versions.push({
      data: unbound,
    } as any);
    await run(spec(vault.url));
    // Rebound; an unbound entry cannot prove which database its password was for, so it gets a new one
    // (open-amt:database:init, the template's next step, sets it on the monitoring login).
    const rebound = kvData(`${name}-probe`)!;
    expect(rebound).toEqual({ ...first, dbPassword: expect.any(String) });
    expect(rebound.dbPassword).not.toBe(first.dbPassword);
    await run(spec(vault.url));
    expect(kvData(`${name}-probe`)).toEqual(rebound); // bound and unchanged: kept
    const elsewhere = {
      ...spec(vault.url),
      database: {
        ...(spec(vault.url) as any).database,
        host: 'db.attacker.example.com',
      },
    };
    await run(elsewhere);
    const moved = kvData(`${name}-probe`)!;
    expect(moved.boundDatabaseEndpoint).toBe('db.attacker.example.com:5432');
    expect(moved.dbPassword).not.toBe(rebound.dbPassword);
  });

  it('binds the app logins to their database, and gives them new passwords when the database moves', async () => {
    const name = parseDeploymentSpec(spec(vault.url)).name;
    const run = provisionWithRootToken;
    const on = (host: string) => ({
      ...spec(vault.url),
      database: { ...(spec(vault.url) as any).database, host },
    });
    await run(spec(vault.url));
    const first = {
      mps: kvData(`${name}-db-mps`)!,
      rps: kvData(`${name}-db-rps`)!,
    };
    expect(first.mps.boundDatabaseEndpoint).toBe('db.example.com:5432');
    expect(first.rps.boundDatabaseEndpoint).toBe('db.example.com:5432');

    await run(spec(vault.url)); // same database: kept as they are
    expect(kvData(`${name}-db-mps`)).toEqual(first.mps);

    const log = await run(on('db2.example.com'));
    for (const side of ['mps', 'rps'] as const) {
      const moved = kvData(`${name}-db-${side}`)!;
      expect(moved.boundDatabaseEndpoint).toBe('db2.example.com:5432');
      expect(moved.user).toBe(first[side].user);
      expect(moved.password).not.toBe(first[side].password);
      expect(moved.connectionString).toContain('@db2.example.com:5432/');
      expect(moved.connectionString).not.toContain(first[side].password);
    }
    expect(log.join('\n')).toMatch(
      /was made for another database than db2\.example\.com:5432: it gets a new password/,
    );
    expect(log.join('\n')).not.toContain(first.mps.password);
  });

  it('binds a login provisioned before bindings existed, keeping its password only for the database its connection string names', async () => {
    const name = parseDeploymentSpec(spec(vault.url)).name;
    const run = provisionWithRootToken;
    await run(spec(vault.url));
    const unbind = (side: 'mps' | 'rps') => {
      const { boundDatabaseEndpoint: _bound, ...legacy } = kvData(
        `${name}-db-${side}`,
      )!;
      vault.state.kv[`kv/open-amt/${name}-db-${side}`].versions.push({
        data: legacy,
      } as any);
      return legacy;
    };
    const legacyMps = unbind('mps');
    await run(spec(vault.url));
    expect(kvData(`${name}-db-mps`)).toEqual({
      ...legacyMps,
      boundDatabaseEndpoint: 'db.example.com:5432',
    });

    const legacyRps = unbind('rps');
    await run({
      ...spec(vault.url),
      database: {
        ...(spec(vault.url) as any).database,
        host: 'db2.example.com',
      },
    });
    const moved = kvData(`${name}-db-rps`)!;
    expect(moved.boundDatabaseEndpoint).toBe('db2.example.com:5432');
    expect(moved.password).not.toBe(legacyRps.password);
  });

  it('completes on retry after a failure in the middle, without writing finished entries twice', async () => {
    const action = createProvisionSecretsAction({ config });
    const name = parseDeploymentSpec(spec(vault.url)).name;
    const checkpoints = new CheckpointStore();
    // Let the probe and the first entries through, then make one KV write fail.
    const dbRpsPath = `/v1/kv/data/open-amt/${name}-db-rps`;
    vault.failNext(500, 1, dbRpsPath);
    const attempt1 = actionContext({
      input: { spec: spec(vault.url) },
      secrets: { vaultToken: vault.rootToken },
      checkpoints,
    });
    await expect(action.handler(attempt1.ctx as any)).rejects.toThrow();
    expect(kvData(`${name}-jwt`)).toBeDefined();
    expect(kvData(`${name}-db-rps`)).toBeUndefined();
    const jwtVersions =
      vault.state.kv[`kv/open-amt/${name}-jwt`].versions.length;

    const attempt2 = actionContext({
      input: { spec: spec(vault.url) },
      secrets: { vaultToken: vault.rootToken },
      checkpoints,
    });
    await action.handler(attempt2.ctx as any);
    expect(vault.state.kv[`kv/open-amt/${name}-jwt`].versions.length).toBe(
      jwtVersions,
    );
    expect(kvData(`${name}-db-rps`)?.password).toBeDefined();
    expect(kvData(`${name}-probe`)!.mpsPassword).toBe(
      kvData(`${name}-mpsweb`)!.password,
    );
    expect(kvData(`${name}-probe`)!.dbPassword).toBeDefined();
  });

  it('does nothing in dry-run, where the scaffolder gives no task secrets', async () => {
    const action = createProvisionSecretsAction({ config });
    const before = vault.requestCount;
    const { ctx, outputs } = actionContext({
      input: { spec: spec(vault.url) },
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(vault.requestCount).toBe(before);
    expect(Object.keys(outputs.refs as object)).toHaveLength(5);
  });

  it('fails naming the field, before any write, when the store is unreachable or sealed or the token missing', async () => {
    const action = createProvisionSecretsAction({ config });
    const closed = await findClosedPortUrl();
    await expect(
      action.handler(
        actionContext({
          input: { spec: spec(closed.replace('http:', 'https:')) },
          secrets: { vaultToken: 'x' },
        }).ctx as any,
      ),
    ).rejects.toThrow(/spec\.secrets\.address/);

    vault.state.sealed = true;
    await expect(
      action.handler(
        actionContext({
          input: { spec: spec(vault.url) },
          secrets: { vaultToken: vault.rootToken },
        }).ctx as any,
      ),
    ).rejects.toThrow(/spec\.secrets\.address/);
    expect(Object.keys(vault.state.kv)).toEqual([]);

    const noToken = createProvisionSecretsAction({
      config: new ConfigReader({}),
    });
    await expect(
      noToken.handler(
        actionContext({ input: { spec: spec(vault.url) } }).ctx as any,
      ),
    ).rejects.toThrow(/secrets\.vaultToken/);
    expect(Object.keys(vault.state.kv)).toEqual([]);
  });
});

describe('open-amt:secrets:provision against Azure Key Vault (@azure/keyvault-secrets → contract server)', () => {
  let kv: KeyVaultContractServer;
  beforeEach(async () => {
    kv = await startKeyVaultServer();
  });
  afterEach(() => kv.close());

  it('writes one JSON secret per entry and outputs Key Vault references', async () => {
    const action = createProvisionSecretsAction({
      resolveStoreAuth: () => ({
        kind: 'azure',
        credential: kv.credential,
        ca: kv.ca,
      }),
    });
    const input = specFor({ ...combo, secrets: 'azure-key-vault' }, {
      secrets: {
        provider: 'azure-key-vault',
        vaultUrl: kv.url,
        prefix: 'open-amt',
      },
    } as any);
    const { ctx, outputs, logLines } = actionContext({
      input: { spec: input },
    });
    await action.handler(ctx as any);
    const name = parseDeploymentSpec(input).name;
    const stored = JSON.parse(
      kv.state.secrets[`open-amt-${name}-jwt`][0].value,
    );
    expect(stored.secret).toHaveLength(64);
    expect((outputs.refs as any).jwt).toBe(
      `azure-key-vault:${kv.url}/open-amt-${name}-jwt`,
    );
    expect(JSON.stringify(outputs) + logLines.join('\n')).not.toContain(
      stored.secret,
    );
    // Re-run keeps every value.
    await action.handler(actionContext({ input: { spec: input } }).ctx as any);
    expect(kv.state.secrets[`open-amt-${name}-jwt`]).toHaveLength(1);
  });
});

describe('open-amt:secrets:provision against AWS (@aws-sdk Secrets Manager + KMS → contract server)', () => {
  let aws: AwsContractServer;
  beforeEach(async () => {
    aws = await startAwsServer({ region: 'eu-west-1' });
  });
  afterEach(() => aws.close());

  it('creates KMS-encrypted secrets with credentials from task secrets', async () => {
    const action = createProvisionSecretsAction();
    const input = specFor({ ...combo, secrets: 'aws-kms' }, {
      secrets: {
        provider: 'aws-kms',
        region: 'eu-west-1',
        kmsKeyId: aws.keyId,
        prefix: 'open-amt',
        endpoint: aws.url,
      },
    } as any);
    const { ctx, outputs } = actionContext({
      input: { spec: input },
      secrets: {
        awsAccessKeyId: aws.credentials.accessKeyId,
        awsSecretAccessKey: aws.credentials.secretAccessKey,
      },
    });
    await action.handler(ctx as any);
    const name = parseDeploymentSpec(input).name;
    const secret = aws.state.secrets[`open-amt/${name}-db-rps`];
    expect(secret.kmsKeyId).toBe(aws.state.keys[0].arn);
    expect(
      JSON.parse(secret.versions[0].secretString).connectionString,
    ).toMatch(/^postgresql:\/\//);
    expect((outputs.refs as any)['db-rps']).toBe(
      `aws-kms:eu-west-1/open-amt/${name}-db-rps`,
    );
  });

  it('fails naming the field when the endpoint is unreachable, and writes nothing', async () => {
    const action = createProvisionSecretsAction();
    const closed = await findClosedPortUrl();
    const input = specFor({ ...combo, secrets: 'aws-kms' }, {
      secrets: {
        provider: 'aws-kms',
        region: 'eu-west-1',
        kmsKeyId: aws.keyId,
        endpoint: closed,
      },
    } as any);
    await expect(
      action.handler(
        actionContext({
          input: { spec: input },
          secrets: { awsAccessKeyId: 'a', awsSecretAccessKey: 'b' },
        }).ctx as any,
      ),
    ).rejects.toThrow(/spec\.secrets\.endpoint/);
  });
});
