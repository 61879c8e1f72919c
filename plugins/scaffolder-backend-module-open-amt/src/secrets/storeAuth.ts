/**
 * Who the portal is when it talks to the chosen store: a task secret from the template
 * (`${{ secrets.vaultToken }}` …) wins, then app-config `openAmt.scaffolder.*`, then — for Azure and AWS —
 * the platform's default identity chain. Missing credentials fail before anything is contacted. Each store adapter
 * (open-amt-node) says how: its taskAuth().
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  SecretStoreAuth,
  TaskSecrets,
} from '@open-amt-backstage/plugin-open-amt-node';
import { secretStoreRendererOf } from '../render/providers';

export type { TaskSecrets } from '@open-amt-backstage/plugin-open-amt-node';

/** Replaceable so an adopter (or a test) can supply another identity source, e.g. a managed identity. */
export type StoreAuthResolver = (
  spec: DeploymentSpec,
  secrets: TaskSecrets,
  config?: Config,
) => SecretStoreAuth;

export function resolveStoreAuth(
  spec: DeploymentSpec,
  secrets: TaskSecrets,
  config?: Config,
): SecretStoreAuth {
  const adapter = secretStoreRendererOf(spec).adapter;
  if (!adapter.taskAuth)
    throw new InputError(
      `The ${spec.secrets.provider} store cannot be provisioned by the scaffolder`,
    );
  return adapter.taskAuth(
    secrets,
    config?.getOptionalConfig('openAmt.scaffolder'),
  );
}
