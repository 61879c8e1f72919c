import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  openAmtDeploymentReadPermission,
  openAmtDeploymentRefreshPermission,
} from '@open-amt-backstage/plugin-open-amt-common';
import { OpenAmtExamplePolicy } from './OpenAmtExamplePolicy';

const policy = new OpenAmtExamplePolicy({
  platformTeam: 'group:default/platform-team',
});
const user = (ref: string, groups: string[]): PolicyQueryUser => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
});
const alice = user('user:default/alice', ['group:default/team-a']);
const platform = user('user:default/pat', ['group:default/platform-team']);

describe('OpenAmtExamplePolicy', () => {
  it('lets owners read and refresh their deployments: a conditional isEntityOwner decision with their claims', async () => {
    for (const permission of [
      openAmtDeploymentReadPermission,
      openAmtDeploymentRefreshPermission,
    ]) {
      expect(await policy.handle({ permission }, alice)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/alice', 'group:default/team-a'] },
        },
      });
    }
  });

  it('lets the platform team read every deployment, but refresh only those it owns', async () => {
    expect(
      await policy.handle(
        { permission: openAmtDeploymentReadPermission },
        platform,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      (
        await policy.handle(
          { permission: openAmtDeploymentRefreshPermission },
          platform,
        )
      ).result,
    ).toBe(AuthorizeResult.CONDITIONAL);
  });

  it('gives a caller without identity no claims, and leaves other permissions allowed', async () => {
    const anonymous = await policy.handle({
      permission: openAmtDeploymentReadPermission,
    });
    expect(anonymous).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, alice),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
