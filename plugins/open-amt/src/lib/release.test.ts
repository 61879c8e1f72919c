import { partEntity, systemEntity } from '../__testUtils__/fixtures';
import { releaseDescription, toolkitReleaseOf, versionLineOf } from './release';

describe('toolkit release on the card', () => {
  it('reads the System annotation, treating its absence as v2.26.0', () => {
    expect(
      toolkitReleaseOf(
        systemEntity({
          annotations: { 'open-amt.io/toolkit-release': 'v2.37.0' },
        }),
        [],
      ),
    ).toBe('v2.37.0');
    expect(toolkitReleaseOf(systemEntity(), [])).toBe('v2.26.0');
  });

  it('on a part, takes the release the probes judged by', () => {
    const c = {
      component: 'mps' as const,
      provider: 'open-amt' as const,
      supportLevel: 'native' as const,
      status: 'healthy' as const,
      checkedAt: '',
      message: '',
      details: { toolkitRelease: 'v2.37.0' },
    };
    expect(toolkitReleaseOf(partEntity('mps'), [c])).toBe('v2.37.0');
    expect(toolkitReleaseOf(partEntity('mps'), [])).toBeUndefined();
  });

  it('describes known releases and names unknown ones as such', () => {
    expect(releaseDescription('v2.37.0')).toBe(
      'v2.37.0 (2026-08): mps 2.34.1, rps 2.39.4, mps-router 2.5.13, web UI 3.61.1',
    );
    expect(releaseDescription('v9.0.0')).toBe(
      'v9.0.0 (not known to this portal)',
    );
  });

  it('shows the running version next to the expected one for toolkit services only', () => {
    expect(
      versionLineOf({
        component: 'mps',
        details: { version: '2.13.21', expectedVersion: '2.34.1' },
      }),
    ).toBe('v2.13.21 (release expects v2.34.1)');
    expect(
      versionLineOf({
        component: 'mpsrouter',
        details: { expectedVersion: '2.5.13' },
      }),
    ).toBe('release expects v2.5.13');
    expect(
      versionLineOf({
        component: 'database',
        details: { version: '15.4', expectedVersion: 'x' },
      }),
    ).toBeUndefined();
    expect(versionLineOf({ component: 'rps', details: {} })).toBeUndefined();
  });
});
