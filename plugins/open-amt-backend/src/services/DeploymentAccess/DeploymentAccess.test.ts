import { mockCredentials } from '@backstage/backend-test-utils';
import {
  openAmtDeploymentReadPermission,
  openAmtDeploymentRefreshPermission,
} from '@open-amt-backstage/plugin-open-amt-common';
import { ownerPolicyPermissions } from '../../__testUtils__/ownerPolicyPermissions';
import { DeploymentAccess } from './DeploymentAccess';

const OWNERS = {
  'system:default/mine': ['group:default/team-a'],
  'system:default/theirs': ['group:default/team-b'],
  'system:default/secret': ['group:default/team-a'],
};
const ALL = Object.keys(OWNERS);
const user = mockCredentials.user('user:default/alice');

describe('DeploymentAccess', () => {
  it("allows an owner on its deployment and refuses another team's with NotAllowed", async () => {
    const { permissions } = ownerPolicyPermissions({
      owners: OWNERS,
      claims: ['user:default/alice', 'group:default/team-a'],
    });
    const access = new DeploymentAccess(permissions);
    await expect(
      access.assertAllowed(
        user,
        'system:default/mine',
        openAmtDeploymentReadPermission,
      ),
    ).resolves.toBeUndefined();
    await expect(
      access.assertAllowed(
        user,
        'system:default/mine',
        openAmtDeploymentRefreshPermission,
      ),
    ).resolves.toBeUndefined();
    await expect(
      access.assertAllowed(
        user,
        'system:default/theirs',
        openAmtDeploymentReadPermission,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'open-amt.deployment.read on system:default/theirs',
      ),
    });
    await expect(
      access.assertAllowed(
        user,
        'system:default/theirs',
        openAmtDeploymentRefreshPermission,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('answers a System the caller cannot read in the catalog as absent, even to its owner', async () => {
    const { permissions } = ownerPolicyPermissions({
      owners: OWNERS,
      claims: ['group:default/team-a'],
      hiddenInCatalog: ['system:default/secret'],
    });
    const access = new DeploymentAccess(permissions);
    await expect(
      access.assertAllowed(
        user,
        'system:default/secret',
        openAmtDeploymentReadPermission,
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No Open AMT deployment system:default/secret',
    });
  });

  it('resolves conditional decisions per deployment: only owned and catalog-readable ones are visible', async () => {
    const { permissions, calls } = ownerPolicyPermissions({
      owners: OWNERS,
      claims: ['group:default/team-a'],
      hiddenInCatalog: ['system:default/secret'],
    });
    const visibility = await new DeploymentAccess(
      permissions,
    ).visibleDeployments(user, async () => ALL);
    expect(visibility).toEqual({
      type: 'only',
      entityRefs: new Set(['system:default/mine']),
    });
    expect(calls.resourceChecks).toBe(ALL.length * 2);
  });

  it('sees everything on unconditional decisions without asking per deployment', async () => {
    const { permissions, calls } = ownerPolicyPermissions({
      owners: OWNERS,
      claims: [],
      readAll: true,
    });
    const candidates = jest.fn(async () => ALL);
    const visibility = await new DeploymentAccess(
      permissions,
    ).visibleDeployments(user, candidates);
    expect(visibility).toEqual({ type: 'all' });
    expect(candidates).not.toHaveBeenCalled();
    expect(calls.resourceChecks).toBe(0);
  });

  it('still hides catalog-unreadable Systems from a reader of every deployment', async () => {
    const { permissions } = ownerPolicyPermissions({
      owners: OWNERS,
      claims: [],
      readAll: true,
      hiddenInCatalog: ['system:default/secret'],
    });
    // catalog.entity.read is conditional here in a real policy; the stand-in denies it only per ref, so the
    // unconditional answer is ALLOW and the check happens per entity instead.
    const access = new DeploymentAccess(permissions);
    await expect(
      access.assertAllowed(
        user,
        'system:default/secret',
        openAmtDeploymentReadPermission,
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('refuses the fleet outright when open-amt.deployment.read is denied, and shows nothing when catalog reads are', async () => {
    const deny = {
      authorize: async (r: unknown[]) => r.map(() => ({ result: 'DENY' })),
      authorizeConditional: async (r: unknown[]) =>
        r.map(() => ({ result: 'DENY' })),
    } as any;
    await expect(
      new DeploymentAccess(deny).visibleDeployments(user, async () => ALL),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    const catalogDenied = {
      authorizeConditional: async () => [
        { result: 'ALLOW' },
        { result: 'DENY' },
      ],
    } as any;
    expect(
      await new DeploymentAccess(catalogDenied).visibleDeployments(
        user,
        async () => ALL,
      ),
    ).toEqual({
      type: 'only',
      entityRefs: new Set(),
    });
  });
});
