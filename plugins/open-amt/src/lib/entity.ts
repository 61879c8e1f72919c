import {
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  COMPONENT_IDS,
  ComponentId,
  OPEN_AMT_ANNOTATIONS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { DeploymentRef } from '../api';

/**
 * True for an entity that belongs to an Open AMT deployment: the System itself and its
 * Components/Resources all carry `open-amt.io/deployment`. For EntitySwitch and the alpha filters.
 */
export function isOpenAmtDeploymentAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.deployment]?.trim(),
  );
}

/** The deployment an entity belongs to (its System: same namespace, named by the annotation). */
export function deploymentRefOf(entity: Entity): DeploymentRef | undefined {
  const name =
    entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.deployment]?.trim();
  if (!name) return undefined;
  return { namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE, name };
}

/** Which component of the deployment a part entity is; undefined on the System. */
export function componentIdOf(entity: Entity): ComponentId | undefined {
  const value = entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.component];
  return (COMPONENT_IDS as readonly string[]).includes(value ?? '')
    ? (value as ComponentId)
    : undefined;
}

export function isSimulated(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[OPEN_AMT_ANNOTATIONS.simulated] === 'true'
  );
}

/** Whether a backend `entityRef` names this deployment (refs compare case-insensitively). */
export function isSameDeployment(
  entityRef: string,
  ref: DeploymentRef,
): boolean {
  const ours = stringifyEntityRef({ kind: 'System', ...ref });
  return (
    entityRef.toLocaleLowerCase('en-US') === ours.toLocaleLowerCase('en-US')
  );
}
