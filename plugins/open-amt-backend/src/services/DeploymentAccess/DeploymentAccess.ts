import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { openAmtDeploymentReadPermission } from '@open-amt-backstage/plugin-open-amt-common';

/** The deployment permissions: resource permissions on the deployment's System entity. */
export type DeploymentPermission = ResourcePermission<'catalog-entity'>;

/** Which deployments one caller may see: every one, or exactly these entity refs. */
export type DeploymentVisibility =
  | { type: 'all' }
  | { type: 'only'; entityRefs: ReadonlySet<string> };

export const notADeployment = (entityRef: string) =>
  new NotFoundError(`No Open AMT deployment ${entityRef}`);

/**
 * Decides what a caller may see and do, with the caller's own credentials, through the permission framework.
 *
 * A deployment is visible only when the caller may read its System in the catalog (`catalog.entity.read`) and
 * holds `open-amt.deployment.read` on it. Conditional decisions (e.g. `isEntityOwner`) are resolved by the
 * permission backend with the catalog's own rules (authorize with a resourceRef), so an adopter's custom catalog
 * rules apply too. The catalog's ruleset itself is not available here: PermissionsRegistryService
 * .getPermissionRuleset refuses a resource ref that belongs to another plugin.
 */
export class DeploymentAccess {
  constructor(private readonly permissions: PermissionsService) {}

  /**
   * Passes when the caller may use `permission` on the deployment. A caller who may not read the System in the
   * catalog gets the same NotFoundError as for a deployment that does not exist: they never learn it exists.
   */
  async assertAllowed(
    credentials: BackstageCredentials,
    entityRef: string,
    permission: DeploymentPermission,
  ): Promise<void> {
    const [catalogRead, granted] = await this.permissions.authorize(
      [
        { permission: catalogEntityReadPermission, resourceRef: entityRef },
        { permission, resourceRef: entityRef },
      ],
      { credentials },
    );
    if (catalogRead.result !== AuthorizeResult.ALLOW)
      throw notADeployment(entityRef);
    if (granted.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} on ${entityRef}`,
      );
    }
  }

  /**
   * The deployments the caller may see, decided before any filtering or paging. Unconditional decisions cost one
   * permission call; conditional ones are resolved per deployment in one batched call over `candidates`.
   */
  async visibleDeployments(
    credentials: BackstageCredentials,
    candidates: () => Promise<string[]>,
  ): Promise<DeploymentVisibility> {
    const [read, catalogRead] = await this.permissions.authorizeConditional(
      [
        { permission: openAmtDeploymentReadPermission },
        { permission: catalogEntityReadPermission },
      ],
      { credentials },
    );
    if (read.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Missing permission ${openAmtDeploymentReadPermission.name}`,
      );
    }
    if (catalogRead.result === AuthorizeResult.DENY)
      return { type: 'only', entityRefs: new Set() };
    if (
      read.result === AuthorizeResult.ALLOW &&
      catalogRead.result === AuthorizeResult.ALLOW
    )
      return { type: 'all' };

    const entityRefs = await candidates();
    if (entityRefs.length === 0) return { type: 'only', entityRefs: new Set() };
    const decisions = await this.permissions.authorize(
      entityRefs.flatMap(resourceRef => [
        { permission: openAmtDeploymentReadPermission, resourceRef },
        { permission: catalogEntityReadPermission, resourceRef },
      ]),
      { credentials },
    );
    const visible = new Set<string>();
    entityRefs.forEach((ref, i) => {
      if (
        decisions[2 * i].result === AuthorizeResult.ALLOW &&
        decisions[2 * i + 1].result === AuthorizeResult.ALLOW
      ) {
        visible.add(ref);
      }
    });
    return { type: 'only', entityRefs: visible };
  }
}
