import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { secretStoreAdapters } from '@open-amt-backstage/plugin-open-amt-node';
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
  return secretStoreAdapters[spec.secrets.provider].refFor(
    spec.secrets,
    secretEntryName(spec, kind),
  );
}
