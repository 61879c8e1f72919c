import { createPermission } from '@backstage/plugin-permission-common';

export const openAmtDeploymentReadPermission = createPermission({
  name: 'open-amt.deployment.read',
  attributes: { action: 'read' },
});

export const openAmtDeploymentRefreshPermission = createPermission({
  name: 'open-amt.deployment.refresh',
  attributes: {},
});

export const openAmtPermissions = [openAmtDeploymentReadPermission, openAmtDeploymentRefreshPermission];
