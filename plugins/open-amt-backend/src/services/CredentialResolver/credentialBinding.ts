import { toError } from '@backstage/errors';
import {
  DeploymentTarget,
  endpointKey,
  PROBE_BINDING_KEYS,
  probeEntryName,
  storeEndpointKey,
  TLS_MODE_STRENGTH,
} from '@open-amt-backstage/plugin-open-amt-common';
import { parseSecretRef } from '@open-amt-backstage/plugin-open-amt-node';
import type { ProbeCredentials } from './CredentialResolver';

/*
 * The rules that keep probe credentials with the deployment they were provisioned for (see the threat model in the
 * plugin README). Each returns the refusal sentence shown on the component row, or undefined when the use is allowed.
 */

const REPROVISION =
  'run open-amt:secrets:provision for the deployment again (the template, or its action through the scaffolder API) to bind them';

/**
 * The entry lies under the deployment's own entry name and names this entity as its owner. `entryName` is where the
 * reference points (the store adapter's locate(); a built-in store's reference parser by default).
 */
export function ownerRefusal(
  target: DeploymentTarget,
  ref: string,
  entry: ProbeCredentials,
  entryName: (ref: string) => string = r => parseSecretRef(r).name,
): string | undefined {
  const expected = probeEntryName(target.name);
  let name: string;
  try {
    name = entryName(ref);
  } catch (error) {
    return `${ref} is not a credentials reference: ${toError(error).message}`;
  }
  // Key Vault names are flat (`<prefix>-<deployment>-probe`); the other stores keep the entry name as the last segment.
  if (name !== expected && !name.endsWith(`-${expected}`)) {
    return `${ref} is not this deployment's probe entry (expected one named ${expected}): not used.`;
  }
  const bound = entry[PROBE_BINDING_KEYS.entityRef];
  if (!bound)
    return `${ref} is not bound to a deployment (provisioned before bindings existed): ${REPROVISION}.`;
  if (bound.toLocaleLowerCase('en-US') !== target.entityRef) {
    return `${ref} was provisioned for ${bound}, not ${target.entityRef}: not used.`;
  }
  return undefined;
}

/** The login goes only to the database endpoint it was created on, with at least the TLS it was provisioned with. */
export function databaseRefusal(
  database: NonNullable<DeploymentTarget['database']>,
  ref: string,
  entry: ProbeCredentials,
): string | undefined {
  const boundEndpoint = entry[PROBE_BINDING_KEYS.databaseEndpoint];
  const boundTls = entry[PROBE_BINDING_KEYS.databaseTlsMode] as
    | keyof typeof TLS_MODE_STRENGTH
    | undefined;
  if (!boundEndpoint || !boundTls || !(boundTls in TLS_MODE_STRENGTH)) {
    return `${ref} does not name the database it is for: ${REPROVISION}.`;
  }
  const actual = endpointKey(database.host, database.port);
  if (boundEndpoint.toLowerCase() !== actual) {
    return `${ref} was provisioned for the database at ${boundEndpoint}, not ${actual}: the login is not sent there.`;
  }
  if (TLS_MODE_STRENGTH[database.tlsMode] < TLS_MODE_STRENGTH[boundTls]) {
    return `${ref} was provisioned for TLS ${boundTls}; the deployment asks for ${database.tlsMode}: the login is not sent with weaker TLS.`;
  }
  return undefined;
}

/** A store token or CA in the entry is used only for the secrets endpoint it was provisioned for. */
export function secretsStoreRefusal(
  secrets: NonNullable<DeploymentTarget['secrets']>,
  ref: string,
  entry: ProbeCredentials,
): string | undefined {
  const bound = entry[PROBE_BINDING_KEYS.secretsEndpoint];
  if (!bound)
    return `${ref} does not name the secrets store it is for: ${REPROVISION}.`;
  if (storeEndpointKey(bound) !== storeEndpointKey(secrets.endpoint)) {
    return `${ref} was provisioned for the secrets store ${bound}, not ${secrets.endpoint}: its store credentials are not sent there.`;
  }
  return undefined;
}
