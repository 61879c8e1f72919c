import { z } from 'zod';

/**
 * What the provider kit (plugins/open-amt-provider-kit) supplies, as data the spec and the form can use without the
 * kit itself (which is Node-only): its version, which the built images' tags carry, and the provider names it bundles
 * per factory kind (`data`: MPS_DB_PROVIDER / RPS_DB_PROVIDER, `secrets`: *_SECRETS_PROVIDER), which the kit's
 * KIT_BUNDLES are made from. The scaffolder module's tests hold the version equal to the kit's package.json.
 */
export const PROVIDER_KIT = {
  version: '0.1.0',
  providers: {
    data: ['mariadb', 'mssql'],
    secrets: ['azure-key-vault', 'aws-secrets-manager'],
  },
} as const;

export type ProviderKitKind = keyof typeof PROVIDER_KIT.providers;

/** A registry the generated repository pushes its images to, by kind (each has its own login). */
export type ImageRegistry =
  | { kind: 'ghcr'; host: 'ghcr.io'; owner: string }
  | { kind: 'acr'; host: string; name: string }
  | { kind: 'ecr'; host: string; account: string; region: string };

/** The registry a `images.registry` value names, or undefined when it is none of the supported forms. */
export function parseImageRegistry(value: string): ImageRegistry | undefined {
  // GitHub owners: alphanumeric and single hyphens, 39 at most; GHCR wants them lowercase.
  const ghcr = /^ghcr\.io\/([a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38})$/.exec(
    value,
  );
  if (ghcr) return { kind: 'ghcr', host: 'ghcr.io', owner: ghcr[1] };
  // ACR registry names: 5-50 alphanumerics; the login server is lowercase.
  const acr = /^([a-z0-9]{5,50})\.azurecr\.io$/.exec(value);
  if (acr) return { kind: 'acr', host: value, name: acr[1] };
  const ecr =
    /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(
      value,
    );
  if (ecr) return { kind: 'ecr', host: value, account: ecr[1], region: ecr[2] };
  return undefined;
}

export const imageRegistry = z
  .string()
  .refine(
    v => parseImageRegistry(v) !== undefined,
    'must be ghcr.io/<owner>, <name>.azurecr.io or <12-digit account>.dkr.ecr.<region>.amazonaws.com',
  );

/** The image the generated repository builds for a service: `<registry>/<deployment>-<service>:v<upstream>-kit<kit>`. */
export function kitImageRef(
  registry: string,
  deployment: string,
  service: 'mps' | 'rps',
  upstreamVersion: string,
): string {
  return `${registry}/${deployment}-${service}:v${upstreamVersion}-kit${PROVIDER_KIT.version}`;
}
