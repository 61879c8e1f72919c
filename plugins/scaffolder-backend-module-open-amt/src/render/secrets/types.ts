import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { StoreEntry } from '../../secrets/entries';
import type { Renderer } from '../types';

/** Everything a secrets store contributes to a rendered deployment; one file per store implements it. */
export interface SecretStoreRenderer {
  /** Store bootstrap files (mount + policies, Bicep, CloudFormation…). */
  bootstrap: Renderer;
  /** External Secrets Operator SecretStore `spec.provider` block (Kubernetes targets). */
  externalSecretsProvider(spec: DeploymentSpec): Record<string, unknown>;
  /** ESO remoteRef.key of an entry (the store's own name for it). */
  remoteKey(spec: DeploymentSpec, entry: StoreEntry): string;
  /** Shell command printing an entry as a JSON object (compose: scripts/resolve-secrets.sh). */
  readCommand(spec: DeploymentSpec, entry: StoreEntry): string;
  /** Compose services the store needs beside the deployment (e.g. a token renewer), by service name. */
  composeServices?(spec: DeploymentSpec): Record<string, Record<string, unknown>>;
  /** Kubernetes objects the store needs in the cluster (e.g. RBAC for its auth method, a renewal CronJob). */
  kubernetesObjects?(spec: DeploymentSpec): Array<Record<string, unknown>>;
}
