import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read a deployment's health, its components and history. A resource permission on the deployment's
 * System entity (resourceRef = `system:<namespace>/<name>`), so the catalog's rules (`isEntityOwner`,
 * `hasAnnotation`, …) and conditional decisions apply.
 */
export const openAmtDeploymentReadPermission = createPermission({
  name: 'open-amt.deployment.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Probe a deployment now (POST …/refresh and the refresh action); a resource permission like read. */
export const openAmtDeploymentRefreshPermission = createPermission({
  name: 'open-amt.deployment.refresh',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

export const openAmtPermissions = [
  openAmtDeploymentReadPermission,
  openAmtDeploymentRefreshPermission,
];
