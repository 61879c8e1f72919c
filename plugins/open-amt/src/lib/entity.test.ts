import {
  componentIdOf,
  deploymentRefOf,
  isOpenAmtDeploymentAvailable,
  isSameDeployment,
} from './entity';
import {
  partEntity,
  plainEntity,
  systemEntity,
} from '../__testUtils__/fixtures';

describe('entity helpers', () => {
  it('recognises the System and its parts, not other entities', () => {
    expect(isOpenAmtDeploymentAvailable(systemEntity())).toBe(true);
    expect(isOpenAmtDeploymentAvailable(partEntity('gateway'))).toBe(true);
    expect(isOpenAmtDeploymentAvailable(plainEntity)).toBe(false);
    expect(
      isOpenAmtDeploymentAvailable(
        systemEntity({ annotations: { 'open-amt.io/deployment': ' ' } }),
      ),
    ).toBe(false);
  });

  it('resolves a part to its deployment System in the same namespace', () => {
    const part = partEntity('rps', 'plant-7');
    part.metadata.namespace = 'factory';
    expect(deploymentRefOf(part)).toEqual({
      namespace: 'factory',
      name: 'plant-7',
    });
    expect(componentIdOf(part)).toBe('rps');
    expect(componentIdOf(systemEntity())).toBeUndefined();
  });

  it('ignores component annotations that name no known component', () => {
    const part = partEntity('mps');
    part.metadata.annotations!['open-amt.io/component'] = 'redis';
    expect(componentIdOf(part)).toBeUndefined();
  });

  it('matches backend refs case-insensitively', () => {
    expect(
      isSameDeployment('system:default/Prod-EU', {
        namespace: 'default',
        name: 'prod-eu',
      }),
    ).toBe(true);
    expect(
      isSameDeployment('system:default/prod-us', {
        namespace: 'default',
        name: 'prod-eu',
      }),
    ).toBe(false);
    expect(
      isSameDeployment('system:other/prod-eu', {
        namespace: 'default',
        name: 'prod-eu',
      }),
    ).toBe(false);
  });
});
