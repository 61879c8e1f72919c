/**
 * The provider kit as the spec knows it (open-amt-common PROVIDER_KIT) is the kit itself: its version tags the built
 * images, and every provider a registry row needs beyond the upstream images is a bundle the kit builds for both
 * services, where the rendered Dockerfiles copy it from.
 */
import {
  DATABASE_PROVIDERS,
  parseDeploymentSpec,
  PROVIDER_KIT,
  providersBeyondUpstream,
  SECRETS_PROVIDERS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  bundleRelativePath,
  KIT_BUNDLES,
  KIT_PROVIDER_NAMES,
} from '@open-amt-backstage/open-amt-provider-kit';
import kitPackage from '@open-amt-backstage/open-amt-provider-kit/package.json';
import { specFor } from '../__testUtils__/specs';
import { renderDeployment } from '.';
import { kitBundleFiles } from './kitImages';

describe('the provider kit the spec names', () => {
  it("is the kit package's version and provider names", () => {
    expect(PROVIDER_KIT.version).toBe(kitPackage.version);
    expect(PROVIDER_KIT.providers).toEqual(KIT_PROVIDER_NAMES);
  });

  it('has a bundle for both services of every registry row beyond the upstream images', () => {
    const rows = [
      ...Object.values(DATABASE_PROVIDERS).map(database => ({
        database: { provider: database.id },
        secrets: { provider: 'vault' },
      })),
      ...Object.values(SECRETS_PROVIDERS).map(store => ({
        database: { provider: 'postgresql' },
        secrets: { provider: store.id },
      })),
    ];
    const needed = rows.flatMap(r => providersBeyondUpstream(r));
    expect(needed.length).toBe(5);
    for (const p of needed) {
      expect(p.inKit).toBe(true);
      for (const service of ['mps', 'rps'])
        expect(KIT_BUNDLES).toContainEqual({
          service,
          kind: p.kind,
          name: p.name,
        });
    }
  });

  it("writes each bundle where the kit's layout puts it, under the service's build context", () => {
    const spec = parseDeploymentSpec(
      specFor({
        database: 'azure-sql',
        secrets: 'aws-kms',
        gateway: 'kong',
        target: 'eks',
      }),
    );
    const files = kitBundleFiles(spec);
    expect(files).toHaveLength(4);
    const rendered = renderDeployment(spec);
    for (const f of files) {
      expect(f.inImage).toBe(bundleRelativePath(f));
      expect(
        rendered.find(r => r.path === `images/${f.service}/Dockerfile`)
          ?.content,
      ).toContain(` ${f.inImage} /${f.service}/${f.inImage}\n`);
    }
  });
});
