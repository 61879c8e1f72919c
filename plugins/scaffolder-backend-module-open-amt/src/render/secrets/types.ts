import type {
  DeploymentSpec,
  SecretsProviderInfo,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { AnySecretStoreAdapter } from '@open-amt-backstage/plugin-open-amt-node';
import type { SecretEntryKind, StoreEntry } from '../../secrets/entries';
import type { EnvVar } from '../env';
import type { Renderer } from '../types';
import type { RunbookStepInput } from '../runbookStep';
import type { ServiceAccountName } from '../kubernetesFlavour';

/** Everything a secrets store contributes to a rendered deployment; one file per store implements it. */
export interface SecretStoreRenderer {
  /** Its registry entry (common): id, label, support level and its section of the spec. */
  info: SecretsProviderInfo<string>;
  /** Its open-amt-node adapter: how references are named and entries written and read (the provisioning actions). */
  adapter: AnySecretStoreAdapter;
  /** The store's address as MPS and RPS are given it (`*_VAULT_ADDRESS`, whatever the store). */
  address(spec: DeploymentSpec): string;
  /** Where MPS and RPS keep their runtime secrets (devices/<guid>, profiles/…): `*_SECRETS_PATH`. */
  runtimeSecretsPath(spec: DeploymentSpec): string;
  /** The open-amt.io/secrets-endpoint annotation (also bound into the probe credentials entry). */
  endpointAnnotation(spec: DeploymentSpec): string;
  /** The open-amt.io/secrets-mount annotation: where this deployment's entries live in the store. */
  mountAnnotation(spec: DeploymentSpec): string;
  /** The form field that locates the store, named in error messages. */
  inputField(spec: DeploymentSpec): string;
  /** Extra environment MPS/RPS need for the store (Vault: its token); platform identities need none. */
  serviceEnv?(spec: DeploymentSpec, prefix: 'MPS' | 'RPS'): EnvVar[];
  /** The runbook's steps that set the store up (before the services start), in order. */
  bootstrapSteps?(spec: DeploymentSpec): RunbookStepInput[];
  /** Lines a runbook step runs before the store's CLI (e.g. `export VAULT_ADDR=…`), with the login it needs. */
  cliSetup?(spec: DeploymentSpec): string[];
  /**
   * Commands storing an operator's entry whose keys are read from files (key → a shell variable holding the file's
   * path): the runbook prints them, so the name it stores is the one readers read. Without it, the step is prose.
   */
  writeCommand?(
    spec: DeploymentSpec,
    entry: StoreEntry,
    files: Record<string, string>,
  ): string[];
  /** Entry kinds only this store holds (Vault: the service tokens), listed in the runbook only for it. */
  ownEntryKinds?: readonly SecretEntryKind[];
  /** Store bootstrap files (mount + policies, Bicep, CloudFormation…). */
  bootstrap: Renderer;
  /** External Secrets Operator SecretStore `spec.provider` block (Kubernetes targets). */
  externalSecretsProvider(spec: DeploymentSpec): Record<string, unknown>;
  /** ESO remoteRef.key of an entry (the store's own name for it). */
  remoteKey(spec: DeploymentSpec, entry: StoreEntry): string;
  /** Shell command printing an entry as a JSON object (compose: scripts/resolve-secrets.sh). */
  readCommand(spec: DeploymentSpec, entry: StoreEntry): string;
  /** Compose services the store needs beside the deployment (e.g. a token renewer), by service name. */
  composeServices?(
    spec: DeploymentSpec,
  ): Record<string, Record<string, unknown>>;
  /**
   * The cloud identity a service account authenticates to the store with (Kubernetes targets): `open-amt` (MPS, RPS
   * write their runtime secrets) and `external-secrets` (reads the entries) each get their own. The store decides, not
   * the cluster: workload identity federation works on any cluster whose service-account issuer the cloud trusts.
   */
  serviceAccountAnnotations?(
    spec: DeploymentSpec,
    account: ServiceAccountName,
  ): Record<string, string>;
  /** Labels the store's identity needs on the service pods. */
  podLabels?(spec: DeploymentSpec): Record<string, string>;
  /** The runbook's steps that give those identities their permissions (Kubernetes targets). */
  identitySteps?(spec: DeploymentSpec): RunbookStepInput[];
  /** Kubernetes objects the store needs in the cluster (e.g. RBAC for its auth method, a renewal CronJob). */
  kubernetesObjects?(spec: DeploymentSpec): Array<Record<string, unknown>>;
}
