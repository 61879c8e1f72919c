import {
  runDatabaseProbe,
  slowThresholdMs,
  summarize,
  type SideObservation,
} from './probeModel';
import {
  LATEST_TOOLKIT_RELEASE,
  releaseTableNames,
  TOOLKIT_V2_26_0,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DatabaseTarget } from '../types';
import { probeContext } from './__testUtils__/servers';

/** The tables of the release a target without toolkitRelease gets: the newest. */
const RPS_TABLE_NAMES = releaseTableNames(LATEST_TOOLKIT_RELEASE, 'rps');
const MPS_TABLE_NAMES = releaseTableNames(LATEST_TOOLKIT_RELEASE, 'mps');

const target: DatabaseTarget = {
  host: 'db.example.com',
  port: 5432,
  tlsMode: 'verify-full',
  rpsDatabase: 'rpsdb',
  mpsDatabase: 'mpsdb',
};
const ok = (
  side: 'rps' | 'mps',
  over: Partial<SideObservation> = {},
): SideObservation => ({
  side,
  database: side === 'rps' ? 'rpsdb' : 'mpsdb',
  selectMs: 2,
  version: '16.4',
  readOnly: false,
  tablesPresent: [...(side === 'rps' ? RPS_TABLE_NAMES : MPS_TABLE_NAMES)],
  citext: side === 'rps' ? '1.6' : undefined,
  tls: { inUse: true, verified: true },
  ...over,
});

describe("summarize: the tables of the deployment's release", () => {
  const v2_26 = {
    rps: releaseTableNames(TOOLKIT_V2_26_0, 'rps'),
    mps: releaseTableNames(TOOLKIT_V2_26_0, 'mps'),
  };

  it('does not report a v2.26.0 database as missing the tables v2.37.0 added', () => {
    const r = summarize(
      'PostgreSQL',
      { ...target, toolkitRelease: 'v2.26.0' },
      [
        ok('rps', { tablesPresent: v2_26.rps }),
        ok('mps', { tablesPresent: v2_26.mps }),
      ],
      5000,
    );
    expect(r.status).toBe('healthy');
    expect(r.details).toMatchObject({ toolkitRelease: 'v2.26.0' });
  });

  it('reports a v2.37.0 deployment whose rpsdb lacks the proxy tables', () => {
    const r = summarize(
      'PostgreSQL',
      { ...target, toolkitRelease: 'v2.37.0' },
      [
        ok('rps', { tablesPresent: v2_26.rps }),
        ok('mps', { tablesPresent: v2_26.mps }),
      ],
      5000,
    );
    expect(r.status).toBe('degraded');
    expect(r.details).toMatchObject({
      toolkitRelease: 'v2.37.0',
      missingTables: { rps: ['proxyconfigs', 'profiles_proxyconfigs'] },
    });
    expect(r.message).toContain(
      'missing tables in "rpsdb": proxyconfigs, profiles_proxyconfigs',
    );
  });
});

describe('summarize', () => {
  it('is healthy when everything is there', () => {
    const r = summarize('PostgreSQL', target, [ok('rps'), ok('mps')], 5000);
    expect(r).toMatchObject({ status: 'healthy', latencyMs: 2 });
    expect(r.message).toBe(
      'PostgreSQL 16.4 at db.example.com:5432 answers in 2 ms; "rpsdb" and "mpsdb" have every table.',
    );
  });

  it('is degraded when slow, read-only or without citext, naming every issue', () => {
    const r = summarize(
      'PostgreSQL',
      target,
      [
        ok('rps', { citext: null, selectMs: 1500 }),
        ok('mps', { selectMs: 1400, readOnly: true }),
      ],
      5000,
    );
    expect(r.status).toBe('degraded');
    expect(r.details).toMatchObject({
      issues: ['read_only', 'missing_citext', 'slow'],
    });
    expect(r.message).toContain('slow (SELECT 1 took 1400 ms)');
  });

  it('uses min(1 s, half the timeout) as the slow threshold', () => {
    expect(slowThresholdMs(5000)).toBe(1000);
    expect(slowThresholdMs(600)).toBe(300);
  });

  it('is down when one side cannot be used, preferring the most basic cause', () => {
    const r = summarize(
      'MariaDB',
      target,
      [
        {
          side: 'rps',
          database: 'rpsdb',
          failure: {
            reason: 'auth_failed',
            code: 'ER_ACCESS_DENIED_ERROR',
            detail: 'x',
          },
        },
        {
          side: 'mps',
          database: 'mpsdb',
          failure: {
            reason: 'cannot_connect',
            code: 'ECONNREFUSED',
            detail: 'y',
          },
        },
      ],
      5000,
    );
    expect(r).toMatchObject({
      status: 'down',
      latencyMs: undefined,
      details: {
        reason: 'cannot_connect',
        issues: ['auth_failed', 'cannot_connect'],
      },
    });
  });
});

describe('runDatabaseProbe', () => {
  it('settles at the deadline even when a driver never returns, and aborts it', async () => {
    let aborted = false;
    const started = Date.now();
    const result = await runDatabaseProbe(
      'Stuck',
      () => ({
        engineLabel: 'Stuck',
        classify: () => ({ reason: 'error', detail: 'n/a' }),
        observe: (_side, _db, _budget, signal) => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise(() => {});
        },
      }),
      target,
      { user: 'u', password: 'p' },
      probeContext(200),
    );
    expect(result).toMatchObject({
      status: 'down',
      details: { reason: 'timeout' },
    });
    expect(Date.now() - started).toBeLessThan(300);
    expect(aborted).toBe(true);
  });
});
