import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  ConditionalPolicyDecision,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';

/**
 * Stands in for the permission backend under the README's policy shape: open-amt permissions are conditional on
 * ownership (or allowed outright for `readAll` on read), and catalog.entity.read is allowed except for refs in
 * `hiddenInCatalog`. Conditional decisions are resolved per resourceRef against `owners` (entity ref → owner refs)
 * and the caller's `claims`, as the catalog's isEntityOwner rule would. Records how many refs were asked about.
 */
export function ownerPolicyPermissions(options: {
  owners: Record<string, string[]>;
  claims: string[];
  readAll?: boolean;
  hiddenInCatalog?: string[];
}) {
  const calls = { authorizeConditional: 0, resourceChecks: 0 };
  const hidden = new Set(options.hiddenInCatalog ?? []);
  const ownedByCaller = (ref: string) =>
    (options.owners[ref] ?? []).some(o => options.claims.includes(o));

  const decide = (name: string, resourceRef?: string) => {
    if (name === 'catalog.entity.read') {
      return resourceRef !== undefined && hidden.has(resourceRef)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    }
    if (name === 'open-amt.deployment.read' && options.readAll)
      return AuthorizeResult.ALLOW;
    if (resourceRef === undefined) return AuthorizeResult.CONDITIONAL;
    return ownedByCaller(resourceRef)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  };

  const permissions: PermissionsService = {
    async authorize(requests: AuthorizePermissionRequest[]) {
      return requests.map(r => {
        const resourceRef =
          'resourceRef' in r
            ? (r.resourceRef as string | undefined)
            : undefined;
        if (resourceRef) calls.resourceChecks += 1;
        const result = decide(r.permission.name, resourceRef);
        // authorize never answers CONDITIONAL: without a resourceRef a conditional policy means "not decided".
        return {
          result:
            result === AuthorizeResult.CONDITIONAL
              ? AuthorizeResult.DENY
              : result,
        };
      });
    },
    async authorizeConditional(requests: QueryPermissionRequest[]) {
      calls.authorizeConditional += 1;
      return requests.map(r => {
        const result = decide(r.permission.name);
        if (result !== AuthorizeResult.CONDITIONAL) return { result };
        const decision: ConditionalPolicyDecision = {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: options.claims },
          },
        };
        return decision;
      });
    },
  } as PermissionsService;
  return { permissions, calls };
}
