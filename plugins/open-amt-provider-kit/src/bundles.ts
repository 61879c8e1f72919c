import path from 'node:path';
import {
  PROVIDER_KIT,
  type ProviderKitKind,
} from '@open-amt-backstage/plugin-open-amt-common';

/**
 * The bundles the kit builds: one ESM file per provider per service, placed where the service's factory imports it
 * (`dist/<kind>/<name>/index.js` under the image's application folder; kind `data` for DbCreatorFactory, `secrets` for
 * SecretManagerCreatorFactory). `name` is the value of `<SERVICE>_DB_PROVIDER` / `<SERVICE>_SECRETS_PROVIDER`.
 */
export type KitService = 'mps' | 'rps';
export type KitKind = ProviderKitKind;

export interface KitBundle {
  service: KitService;
  kind: KitKind;
  name: string;
}

/** The provider names per kind: common's PROVIDER_KIT, which the spec and the form read without the kit. */
export const KIT_PROVIDER_NAMES: Record<KitKind, readonly string[]> =
  PROVIDER_KIT.providers;

export const KIT_BUNDLES: readonly KitBundle[] = (
  ['mps', 'rps'] as const
).flatMap(service =>
  (['data', 'secrets'] as const).flatMap(kind =>
    KIT_PROVIDER_NAMES[kind].map(name => ({ service, kind, name })),
  ),
);

/** The bundle's path relative to the service's application folder (`/mps`, `/rps`) and to the bundles folder. */
export const bundleRelativePath = (b: KitBundle) =>
  `dist/${b.kind}/${b.name}/index.js`;

/** Where the built bundles live in this package (scripts/bundle.ts writes them). */
// The package folder is the parent of src/ (tests, yarn bundle) and of dist/ (built backend) alike.
// eslint-disable-next-line no-restricted-syntax
export const BUNDLES_DIR = path.resolve(__dirname, '..', 'bundles');

/** The built file of a bundle. */
export const bundleFile = (b: KitBundle) =>
  path.join(BUNDLES_DIR, b.service, bundleRelativePath(b));
