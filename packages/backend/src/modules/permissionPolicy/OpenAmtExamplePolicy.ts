import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  openAmtDeploymentReadPermission,
  openAmtDeploymentRefreshPermission,
} from '@open-amt-backstage/plugin-open-amt-common';

/**
 * The example policy of the README ("Permissions"): owners read and refresh their deployments, the platform
 * team reads every deployment, everything else is allowed (as the demo's allow-all policy does).
 *
 * `open-amt.deployment.read` and `.refresh` are catalog-entity resource permissions on the deployment's
 * System, so the catalog's conditions apply: `isEntityOwner` matches the System's ownedBy relations against
 * the user's ownership refs (the user and the groups it is a member of).
 */
export class OpenAmtExamplePolicy implements PermissionPolicy {
  constructor(private readonly options: { platformTeam: string }) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(request.permission, openAmtDeploymentReadPermission)) {
      if (claims.includes(this.options.platformTeam))
        return { result: AuthorizeResult.ALLOW };
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(request.permission, openAmtDeploymentRefreshPermission)) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
