import type { ProbeResult } from '../types';
import { compareWithRelease } from './releaseVersion';

const healthy = (version?: string): ProbeResult => ({
  status: 'healthy',
  latencyMs: 3,
  message: 'MPS http://mps:3000 reports itself healthy.',
  details: { httpStatus: 200, ...(version ? { version } : {}) },
});

describe('compareWithRelease', () => {
  it('keeps a service that runs the version its release pins healthy, and shows the expectation', () => {
    expect(compareWithRelease('mps', healthy('2.34.1'), 'v2.37.0')).toEqual({
      ...healthy('2.34.1'),
      details: {
        httpStatus: 200,
        version: '2.34.1',
        toolkitRelease: 'v2.37.0',
        expectedVersion: '2.34.1',
      },
    });
    expect(
      compareWithRelease('rps', healthy('v2.22.14'), 'v2.26.0').status,
    ).toBe('healthy');
  });

  it('degrades a service that runs another version than its release expects', () => {
    const r = compareWithRelease('mps', healthy('2.13.21'), 'v2.37.0');
    expect(r.status).toBe('degraded');
    expect(r.message).toBe(
      'MPS http://mps:3000 reports itself healthy, but running v2.13.21, release v2.37.0 expects v2.34.1.',
    );
    expect(r.details).toMatchObject({
      reason: 'version_mismatch',
      expectedVersion: '2.34.1',
      version: '2.13.21',
    });
  });

  it("judges against the deployment's own release: v2.26.0 expects rps 2.22.14", () => {
    expect(
      compareWithRelease('rps', healthy('2.39.4'), 'v2.26.0').message,
    ).toContain('running v2.39.4, release v2.26.0 expects v2.22.14');
  });

  it('leaves a down service down, a service without a version endpoint healthy, and an unknown release alone', () => {
    const down: ProbeResult = {
      status: 'down',
      message: 'x',
      details: { version: '1.0.0' },
    };
    expect(compareWithRelease('mps', down, 'v2.37.0').status).toBe('down');
    expect(compareWithRelease('mpsrouter', healthy(), 'v2.37.0')).toMatchObject(
      {
        status: 'healthy',
        details: { expectedVersion: '2.5.13' },
      },
    );
    expect(compareWithRelease('mps', healthy('0.0.1'), 'v9.9.9')).toEqual(
      healthy('0.0.1'),
    );
    expect(compareWithRelease('mps', healthy('0.0.1'), undefined)).toEqual(
      healthy('0.0.1'),
    );
  });
});
