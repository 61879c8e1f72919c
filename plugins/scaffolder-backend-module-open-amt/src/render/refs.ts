import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { secretStoreRendererOf } from './providers';
import { SecretEntryKind, secretEntryName } from '../secrets/entries';

/** `<store reference>#<key>`: what rendered files carry instead of a secret value. */
export function secretRef(
  spec: DeploymentSpec,
  kind: SecretEntryKind,
  key: string,
): string {
  return `${entryRef(spec, kind)}#${key}`;
}

/** The store reference of a whole entry (adapter-defined, e.g. `vault:kv/open-amt/prod-jwt`). */
export function entryRef(spec: DeploymentSpec, kind: SecretEntryKind): string {
  return secretStoreRendererOf(spec).adapter.refFor(
    spec.secrets,
    secretEntryName(spec, kind),
  );
}
