import {
  COMPONENT_IDS,
  ComponentId,
  deriveDeploymentStatus,
  HealthStatus,
} from './health';

const all = (status: HealthStatus) =>
  COMPONENT_IDS.map(component => ({ component, status }));
const withOne = (component: ComponentId, status: HealthStatus) =>
  all('healthy').map(c => (c.component === component ? { ...c, status } : c));

describe('deriveDeploymentStatus', () => {
  it('is unknown without components', () =>
    expect(deriveDeploymentStatus([])).toBe('unknown'));
  it('is healthy when every component is', () =>
    expect(deriveDeploymentStatus(all('healthy'))).toBe('healthy'));
  it('is down when a critical component is down', () => {
    expect(deriveDeploymentStatus(withOne('secrets', 'down'))).toBe('down');
    expect(deriveDeploymentStatus(withOne('mpsrouter', 'down'))).toBe('down');
  });
  it('is down when the CIRA endpoint is down: no device can connect', () => {
    expect(deriveDeploymentStatus(withOne('cira', 'down'))).toBe('down');
    expect(deriveDeploymentStatus(withOne('cira', 'degraded'))).toBe(
      'degraded',
    );
  });
  it('keeps the stored order of the first seven components (history encodes the position)', () => {
    expect(COMPONENT_IDS.slice(0, 7)).toEqual([
      'mps',
      'rps',
      'mpsrouter',
      'webui',
      'database',
      'secrets',
      'gateway',
    ]);
    expect(COMPONENT_IDS.indexOf('cira')).toBe(7);
    expect(COMPONENT_IDS.indexOf('devices')).toBe(8);
    expect(COMPONENT_IDS.indexOf('certificates')).toBe(9);
  });
  it('is only degraded when the devices or certificates row is down: they report on what the services hold', () => {
    expect(deriveDeploymentStatus(withOne('certificates', 'down'))).toBe(
      'degraded',
    );
    expect(deriveDeploymentStatus(withOne('devices', 'down'))).toBe('degraded');
  });
  it('is only degraded when the Web UI is down', () =>
    expect(deriveDeploymentStatus(withOne('webui', 'down'))).toBe('degraded'));
  it('is degraded before unknown', () => {
    const mixed = withOne('gateway', 'degraded').map(c =>
      c.component === 'mps' ? { ...c, status: 'unknown' as const } : c,
    );
    expect(deriveDeploymentStatus(mixed)).toBe('degraded');
  });
  it('is unknown when a component is unknown and none is worse', () =>
    expect(deriveDeploymentStatus(withOne('rps', 'unknown'))).toBe('unknown'));
});
