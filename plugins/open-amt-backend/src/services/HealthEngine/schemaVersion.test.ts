import { DRIFT_DETAILS } from '@open-amt-backstage/plugin-open-amt-common';
import {
  createHostGuard,
  databaseAdapters,
  type AnyDatabaseAdapter,
  type ProbeResult,
} from '@open-amt-backstage/plugin-open-amt-node';
import { withSchemaVersion } from './schemaVersion';

const target = {
  host: '127.0.0.1',
  port: 5432,
  tlsMode: 'disable' as const,
  rpsDatabase: 'rpsdb',
  mpsDatabase: 'mpsdb',
};
const credentials = { user: 'probe', password: 'S3cret-probe-pass' };
const healthy: ProbeResult = { status: 'healthy', message: 'ok', details: {} };
const ctx = () => ({
  timeoutMs: 1000,
  guard: createHostGuard({ allowedHosts: ['127.0.0.1'] }),
});
const adapterWith = (
  detect: AnyDatabaseAdapter['detectSchemaVersion'],
): AnyDatabaseAdapter => ({
  ...databaseAdapters.postgresql,
  detectSchemaVersion: detect,
});

describe('withSchemaVersion', () => {
  it('a detection that never answers is cut at the probe budget: the database stays healthy, the version not checkable', async () => {
    const started = Date.now();
    const result = await withSchemaVersion(
      healthy,
      adapterWith(() => new Promise(() => {})),
      target,
      credentials,
      ctx(),
      Date.now() + 200,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.status).toBe('healthy');
    expect(result.details?.[DRIFT_DETAILS.schemaVersionNotCheckable]).toMatch(
      /within the probe's budget/,
    );
  });

  it('a failing detection says why without the password', async () => {
    const result = await withSchemaVersion(
      healthy,
      adapterWith(async () => {
        throw new Error(`login failed for ${credentials.password}`);
      }),
      target,
      credentials,
      ctx(),
      Date.now() + 1000,
    );
    const why = String(
      result.details?.[DRIFT_DETAILS.schemaVersionNotCheckable],
    );
    expect(why).toContain('login failed');
    expect(JSON.stringify(result)).not.toContain(credentials.password);
  });

  it('a host the guard refuses is not connected to', async () => {
    let called = false;
    const result = await withSchemaVersion(
      healthy,
      adapterWith(async () => {
        called = true;
        return { rps: { source: 'unknown' }, mps: { source: 'unknown' } };
      }),
      { ...target, host: '169.254.169.254' },
      credentials,
      ctx(),
      Date.now() + 1000,
    );
    expect(called).toBe(false);
    expect(
      result.details?.[DRIFT_DETAILS.schemaVersionNotCheckable],
    ).toBeDefined();
  });

  it('a database the probe could not use is not asked again', async () => {
    let called = false;
    const down: ProbeResult = { status: 'down', message: 'auth failed' };
    const result = await withSchemaVersion(
      down,
      adapterWith(async () => {
        called = true;
        return { rps: { source: 'unknown' }, mps: { source: 'unknown' } };
      }),
      target,
      credentials,
      ctx(),
      Date.now() + 1000,
    );
    expect(called).toBe(false);
    expect(result).toEqual(down);
  });

  it('keeps a finding between sweeps, and reads again once the System names another release', async () => {
    const facts = new Map<string, unknown>();
    const memory = {
      recall: <T>(key: string) => facts.get(key) as T | undefined,
      remember: <T>(key: string, value: T) => {
        facts.set(key, value);
      },
      forget: (key: string) => {
        facts.delete(key);
      },
    };
    let found = 'v2.26.0';
    let reads = 0;
    const adapter = adapterWith(async () => {
      reads += 1;
      return {
        rps: { release: found, source: 'table' },
        mps: { release: found, source: 'table' },
      };
    });
    const sweep = (release: string) =>
      withSchemaVersion(
        healthy,
        adapter,
        target,
        credentials,
        { ...ctx(), memory },
        Date.now() + 1000,
        release,
      );
    await sweep('v2.26.0');
    const kept = await sweep('v2.26.0');
    expect(reads).toBe(1);
    expect(kept.details?.[DRIFT_DETAILS.schemaVersion]).toMatchObject({
      rps: { release: 'v2.26.0' },
    });
    // The upgrade migrated, then changed the annotation: the next sweep reads the databases again.
    found = 'v2.37.0';
    const after = await sweep('v2.37.0');
    expect(reads).toBe(2);
    expect(after.details?.[DRIFT_DETAILS.schemaVersion]).toMatchObject({
      rps: { release: 'v2.37.0' },
    });
  });
});
