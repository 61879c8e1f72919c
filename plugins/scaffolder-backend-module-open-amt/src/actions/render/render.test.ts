import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { InputError } from '@backstage/errors';
import { actionContext } from '../../__testUtils__/actionContext';
import { specFor } from '../../__testUtils__/specs';
import { createRenderDeploymentAction } from './render';

const valid = () =>
  specFor({
    database: 'azure-postgresql',
    secrets: 'vault',
    gateway: 'kong',
    target: 'aks',
  });

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e =>
      join(e.parentPath ?? (e as any).path, e.name).slice(dir.length + 1),
    )
    .sort();
}

describe('open-amt:deployment:render', () => {
  const action = createRenderDeploymentAction();

  it('writes the deployment repository and outputs its entity', async () => {
    const { ctx, outputs, logLines } = actionContext({
      input: { spec: valid(), targetPath: 'repo' },
    });
    await action.handler(ctx as any);
    const files = listFiles(join(ctx.workspacePath, 'repo'));
    expect(files).toEqual([...(outputs.files as string[])].sort());
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'catalog-info.yaml',
        'kubernetes/mps.yaml',
        'gateway/kong/kong.yaml',
        'database/postgres/rpsdb.sql',
        'secrets-store/vault/policies/mps.hcl',
      ]),
    );
    expect(outputs.entityRef).toBe(`system:default/${valid().name}`);
    expect(outputs.catalogInfoPath).toBe('repo/catalog-info.yaml');
    expect(outputs.supportLevels).toEqual({
      database: 'native',
      secrets: 'native',
      gateway: 'native',
    });
    expect(
      readFileSync(join(ctx.workspacePath, 'repo/catalog-info.yaml'), 'utf8'),
    ).toContain('open-amt.io/credentials-ref');
    expect(logLines.join('\n')).toContain('Rendered');
  });

  it('renders in dry-run too (the dry-run returns the workspace files)', async () => {
    const { ctx, outputs } = actionContext({
      input: { spec: valid() },
      isDryRun: true,
    });
    await action.handler(ctx as any);
    expect(listFiles(ctx.workspacePath).length).toBe(
      (outputs.files as string[]).length,
    );
  });

  describe("with a kit row, the built images get the provider kit's bundles", () => {
    const kitSpec = () =>
      specFor({
        database: 'mariadb',
        secrets: 'azure-key-vault',
        gateway: 'kong',
        target: 'aks',
      });
    // A kit whose bundles are known bytes (the kit's own build is tested in its package).
    const kit = {
      asked: [] as string[],
      async bundle(b: { service: string; kind: string; name: string }) {
        kit.asked.push(`${b.service}/${b.kind}/${b.name}`);
        return Buffer.from(
          `export default class {} // ${b.service} ${b.name}\n`,
        );
      },
    };

    it.each([false, true])(
      'writes each bundle where the Dockerfile copies it from (dry-run %s)',
      async isDryRun => {
        kit.asked = [];
        const kitAction = createRenderDeploymentAction({
          kitBundle: b => kit.bundle(b),
        });
        const { ctx, outputs } = actionContext({
          input: { spec: kitSpec() },
          isDryRun,
        });
        await kitAction.handler(ctx as any);
        const files = listFiles(ctx.workspacePath);
        expect(files).toEqual([...(outputs.files as string[])].sort());
        expect(kit.asked.sort()).toEqual([
          'mps/data/mariadb',
          'mps/secrets/azure-key-vault',
          'rps/data/mariadb',
          'rps/secrets/azure-key-vault',
        ]);
        const manifest = JSON.parse(
          readFileSync(join(ctx.workspacePath, 'images/bundles.json'), 'utf8'),
        );
        for (const b of manifest.bundles) {
          expect(readFileSync(join(ctx.workspacePath, b.path), 'utf8')).toBe(
            `export default class {} // ${b.service} ${b.name}\n`,
          );
          const dockerfile = readFileSync(
            join(ctx.workspacePath, `images/${b.service}/Dockerfile`),
            'utf8',
          );
          expect(dockerfile).toContain(
            ` ${b.path.slice(`images/${b.service}/`.length)} /${b.service}/`,
          );
        }
      },
    );

    it('writes nothing when the kit cannot give a bundle, naming it', async () => {
      const kitAction = createRenderDeploymentAction({
        kitBundle: async b => {
          throw new Error(
            `the provider kit has no ${b.service} ${b.kind} provider "${b.name}"`,
          );
        },
      });
      const { ctx } = actionContext({ input: { spec: kitSpec() } });
      await expect(kitAction.handler(ctx as any)).rejects.toThrow(
        /provider kit has no mps data provider "mariadb"/,
      );
      expect(listFiles(ctx.workspacePath)).toEqual([]);
    });
  });

  const bad: [string, (s: any) => any, RegExp][] = [
    [
      'wrong field types',
      s => ({ ...s, replicas: { mps: 'two' } }),
      /spec\.replicas\.mps/,
    ],
    [
      'an unknown database provider',
      s => ({ ...s, database: { ...s.database, provider: 'oracle' } }),
      /spec\.database\.provider/,
    ],
    [
      'an unknown gateway provider',
      s => ({ ...s, gateway: { ...s.gateway, provider: 'nginx' } }),
      /spec\.gateway\.provider/,
    ],
    [
      'an FQDN that is not a hostname',
      s => ({ ...s, fqdn: 'https://mps.example.com:4433' }),
      /spec\.fqdn/,
    ],
    ['a single-label FQDN', s => ({ ...s, fqdn: 'mps' }), /spec\.fqdn/],
    [
      'a kit row without a registry for the images it builds',
      s => ({ ...s, database: { ...s.database, provider: 'mariadb' } }),
      /spec\.images\.registry/,
    ],
    [
      'an unpinned image',
      s => ({ ...s, images: { mps: 'intel/oact-mps:latest' } }),
      /spec\.images\.mps/,
    ],
    ['a missing name', s => ({ ...s, name: undefined }), /spec\.name/],
    [
      'a provider-specific field missing',
      s => ({
        ...s,
        gateway: { provider: 'azure-apim', publicHost: 'amt.example.com' },
      }),
      /spec\.gateway\.serviceName/,
    ],
  ];
  it.each(bad)(
    'rejects %s naming the field and writes nothing',
    async (_label, mutate, field) => {
      const { ctx } = actionContext({ input: { spec: mutate(valid()) } });
      const error = await action.handler(ctx as any).then(
        () => undefined,
        e => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(field);
      expect(listFiles(ctx.workspacePath)).toEqual([]);
    },
  );

  it('refuses a target path outside the workspace and writes nothing', async () => {
    const { ctx } = actionContext({
      input: { spec: valid(), targetPath: '../escape' },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/outside/i);
    expect(listFiles(ctx.workspacePath)).toEqual([]);
  });
});
