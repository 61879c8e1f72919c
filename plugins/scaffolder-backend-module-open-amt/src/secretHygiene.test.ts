/**
 * Secret hygiene over every combination: values the provision action really wrote to each store
 * (contract servers, real client libraries) never appear in any rendered file, render log line or
 * render output — for all 360 combinations, rendered under the provisioned deployment's name.
 */
import { ConfigReader } from '@backstage/config';
import {
  DATABASE_PROVIDER_IDS,
  GATEWAY_PROVIDER_IDS,
  SecretsProviderId,
  TARGET_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { closeIdleProbeConnections } from '@open-amt-backstage/plugin-open-amt-node';
import {
  startAwsServer,
  startKeyVaultServer,
  startVaultServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { actionContext } from './__testUtils__/actionContext';
import { specFor } from './__testUtils__/specs';
import {
  createProvisionSecretsAction,
  createRenderDeploymentAction,
} from './actions';

jest.setTimeout(240_000);
const SECRET_KEYS = new Set([
  'secret',
  'password',
  'connectionString',
  'mpsPassword',
  'dbPassword',
]);
const NAME = 'amt-hygiene';

function allFileContents(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e =>
      readFileSync(join(e.parentPath ?? (e as any).path, e.name), 'utf8'),
    )
    .join('\n');
}

async function provisionedValues(provider: SecretsProviderId): Promise<{
  secretsSpec: any;
  values: string[];
  provisionVisible: string;
  close(): Promise<void>;
}> {
  const base = {
    database: 'postgresql',
    gateway: 'kong',
    target: 'compose',
  } as const;
  if (provider === 'vault') {
    const vault = await startVaultServer({ tls: true });
    const secretsSpec = {
      provider: 'vault',
      address: vault.url,
      mount: 'kv',
      pathPrefix: 'open-amt',
    };
    const config = new ConfigReader({
      openAmt: { scaffolder: { vault: { ca: vault.ca } } },
    });
    const run = actionContext({
      input: {
        spec: specFor({ ...base, secrets: provider }, {
          name: NAME,
          secrets: secretsSpec,
        } as any),
      },
      secrets: { vaultToken: vault.rootToken },
    });
    await createProvisionSecretsAction({ config }).handler(run.ctx as any);
    const values = Object.values(vault.state.kv).flatMap(e =>
      Object.entries(e.versions.at(-1)!.data ?? {})
        .filter(([k]) => SECRET_KEYS.has(k))
        .map(([, v]) => String(v)),
    );
    return {
      secretsSpec,
      values: [...values, vault.rootToken],
      provisionVisible: visibleOf(run),
      close: () => vault.close(),
    };
  }
  if (provider === 'azure-key-vault') {
    const kv = await startKeyVaultServer();
    const secretsSpec = { provider, vaultUrl: kv.url, prefix: 'open-amt' };
    const run = actionContext({
      input: {
        spec: specFor({ ...base, secrets: provider }, {
          name: NAME,
          secrets: secretsSpec,
        } as any),
      },
    });
    await createProvisionSecretsAction({
      resolveStoreAuth: () => ({
        kind: 'azure',
        credential: kv.credential,
        ca: kv.ca,
      }),
    }).handler(run.ctx as any);
    const values = Object.values(kv.state.secrets).flatMap(v =>
      Object.entries(JSON.parse(v.at(-1)!.value))
        .filter(([k]) => SECRET_KEYS.has(k))
        .map(([, x]) => String(x)),
    );
    return {
      secretsSpec,
      values: [...values, kv.token],
      provisionVisible: visibleOf(run),
      close: () => kv.close(),
    };
  }
  const aws = await startAwsServer({ region: 'eu-west-1' });
  const secretsSpec = {
    provider,
    region: 'eu-west-1',
    kmsKeyId: aws.keyId,
    prefix: 'open-amt',
    endpoint: aws.url,
  };
  const run = actionContext({
    input: {
      spec: specFor({ ...base, secrets: provider }, {
        name: NAME,
        secrets: secretsSpec,
      } as any),
    },
    secrets: {
      awsAccessKeyId: aws.credentials.accessKeyId,
      awsSecretAccessKey: aws.credentials.secretAccessKey,
    },
  });
  await createProvisionSecretsAction().handler(run.ctx as any);
  const values = Object.values(aws.state.secrets).flatMap(s =>
    Object.entries(JSON.parse(s.versions.at(-1)!.secretString))
      .filter(([k]) => SECRET_KEYS.has(k))
      .map(([, x]) => String(x)),
  );
  return {
    secretsSpec,
    values: [...values, aws.credentials.secretAccessKey],
    provisionVisible: visibleOf(run),
    close: () => aws.close(),
  };
}

/** What a provision run shows: its outputs and log lines (must not carry values either). */
function visibleOf(run: {
  outputs: Record<string, unknown>;
  logLines: string[];
}): string {
  return `${JSON.stringify(run.outputs)}\n${run.logLines.join('\n')}`;
}

describe('secret hygiene over all combinations', () => {
  afterAll(() => closeIdleProbeConnections());

  it.each(['vault', 'azure-key-vault', 'aws-kms'] as const)(
    'no value provisioned to %s appears in files, logs or outputs',
    async provider => {
      const { secretsSpec, values, provisionVisible, close } =
        await provisionedValues(provider);
      try {
        expect(values.length).toBeGreaterThanOrEqual(8);
        for (const v of values) expect(v.length).toBeGreaterThanOrEqual(16);
        for (const v of values) expect(provisionVisible).not.toContain(v);
        // The kit's bundles are code without values: stand-ins keep this test off the kit's build.
        const render = createRenderDeploymentAction({
          kitBundle: async b => `// ${b.service} ${b.kind} ${b.name}\n`,
        });
        let combinations = 0;
        for (const database of DATABASE_PROVIDER_IDS)
          for (const gateway of GATEWAY_PROVIDER_IDS)
            for (const target of TARGET_IDS) {
              const spec = specFor(
                { database, secrets: provider, gateway, target },
                { name: NAME, secrets: secretsSpec } as any,
              );
              const run = actionContext({ input: { spec } });
              await render.handler(run.ctx as any);
              const visible = `${allFileContents(
                run.ctx.workspacePath,
              )}\n${JSON.stringify(run.outputs)}\n${run.logLines.join('\n')}`;
              for (const v of values)
                if (visible.includes(v))
                  throw new Error(
                    `${database}/${gateway}/${target}: a provisioned value leaked`,
                  );
              combinations++;
            }
        expect(combinations).toBe(120);
      } finally {
        await close();
      }
    },
  );
});
