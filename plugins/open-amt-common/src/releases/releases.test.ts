import {
  compareReleaseIds,
  describeToolkitRelease,
  LATEST_TOOLKIT_RELEASE,
  releaseIssues,
  releaseListIssues,
  releaseTableNames,
  TOOLKIT_RELEASES,
  TOOLKIT_V2_26_0,
  TOOLKIT_V2_37_0,
  toolkitRelease,
  type ToolkitRelease,
} from './index';

const clone = (r: ToolkitRelease): ToolkitRelease =>
  JSON.parse(JSON.stringify(r));

describe('toolkit releases', () => {
  it.each(TOOLKIT_RELEASES.map(r => [r.id, r] as const))(
    '%s is sound',
    (_id, release) => {
      expect(releaseIssues(release)).toEqual([]);
    },
  );

  it('are listed newest first, and the newest is the default', () => {
    expect(releaseListIssues(TOOLKIT_RELEASES)).toEqual([]);
    expect(LATEST_TOOLKIT_RELEASE.id).toBe('v2.37.0');
    expect(releaseListIssues([TOOLKIT_V2_26_0, TOOLKIT_V2_37_0])).toEqual([
      'v2.26.0 is listed before v2.37.0: newest first, each once',
    ]);
    expect(compareReleaseIds('v2.37.0', 'v2.9.0')).toBeGreaterThan(0);
  });

  it('v2.37.0 adds the proxy tables and profiles.uefi_wifi_sync_enabled; v2.26.0 has neither', () => {
    expect(releaseTableNames(TOOLKIT_V2_37_0, 'rps')).toEqual([
      ...releaseTableNames(TOOLKIT_V2_26_0, 'rps'),
      'proxyconfigs',
      'profiles_proxyconfigs',
    ]);
    const profiles = (r: ToolkitRelease) =>
      r.schema.rps.tables
        .find(t => t.name === 'profiles')!
        .columns.map(c => c.name);
    expect(profiles(TOOLKIT_V2_37_0)).toContain('uefi_wifi_sync_enabled');
    expect(profiles(TOOLKIT_V2_26_0)).not.toContain('uefi_wifi_sync_enabled');
    expect(TOOLKIT_V2_37_0.schema.mps).toEqual(TOOLKIT_V2_26_0.schema.mps);
  });

  it('hold each migration equal to the difference of the two schemas (injected defects)', () => {
    const migration = TOOLKIT_V2_37_0.migrationFromPrevious!;
    expect(migration.from).toBe('v2.26.0');
    const withSteps = (rps: typeof migration.rps): ToolkitRelease => ({
      ...TOOLKIT_V2_37_0,
      migrationFromPrevious: { ...migration, rps },
    });
    // A forgotten step, a step too many, a missing migration, one starting at the wrong release.
    expect(
      releaseListIssues([withSteps(migration.rps.slice(1)), TOOLKIT_V2_26_0]),
    ).toEqual([
      "v2.37.0's rps migration does not turn v2.26.0's schema into v2.37.0's",
    ]);
    expect(
      releaseListIssues([
        withSteps([
          ...migration.rps,
          { kind: 'createTable', table: TOOLKIT_V2_26_0.schema.mps.tables[0] },
        ]),
        TOOLKIT_V2_26_0,
      ]),
    ).toEqual([
      "v2.37.0's rps migration does not turn v2.26.0's schema into v2.37.0's",
    ]);
    expect(
      releaseListIssues([
        { ...TOOLKIT_V2_37_0, migrationFromPrevious: undefined },
        TOOLKIT_V2_26_0,
      ]),
    ).toEqual(['v2.37.0 has no migration from v2.26.0']);
    expect(
      releaseListIssues([
        {
          ...TOOLKIT_V2_37_0,
          migrationFromPrevious: { ...migration, from: 'v2.25.0' },
        },
        TOOLKIT_V2_26_0,
      ]),
    ).toEqual([
      "v2.37.0's migration starts at v2.25.0, not at the previous release v2.26.0",
    ]);
  });

  it('describes a release with its date and component versions', () => {
    expect(describeToolkitRelease(TOOLKIT_V2_37_0)).toBe(
      'v2.37.0 (2026-08): mps 2.34.1, rps 2.39.4, mps-router 2.5.13, web UI 3.61.1',
    );
  });

  it('refuses an unknown release id, naming the supported ones', () => {
    expect(() => toolkitRelease('v1.0.0')).toThrow(
      'unknown toolkit release "v1.0.0"; supported: v2.37.0, v2.26.0',
    );
  });

  describe('releaseIssues finds injected defects', () => {
    it('an image tag that is not the component version, or latest', () => {
      const r = clone(TOOLKIT_V2_37_0);
      r.components.mps.image = 'intel/device-mgmt-toolkit-mps:v2.34.0';
      r.components.rps.image = 'intel/device-mgmt-toolkit-rps:latest';
      expect(releaseIssues(r)).toEqual([
        'components.mps.image intel/device-mgmt-toolkit-mps:v2.34.0 is not tagged v2.34.1',
        'components.rps.image intel/device-mgmt-toolkit-rps:latest is not pinned',
        'components.rps.image intel/device-mgmt-toolkit-rps:latest is not tagged v2.39.4',
      ]);
    });

    it('an unpinned infrastructure image and a bad date', () => {
      const r = clone(TOOLKIT_V2_37_0);
      r.infrastructure.vault = 'hashicorp/vault';
      r.date = '2026-13';
      expect(releaseIssues(r)).toEqual([
        'date 2026-13 is not YYYY-MM',
        'infrastructure.vault hashicorp/vault is not pinned',
      ]);
    });

    it('a table referenced before it is created, and a key over a missing column', () => {
      const r = clone(TOOLKIT_V2_37_0);
      const tables = r.schema.rps.tables;
      const proxy = tables.findIndex(t => t.name === 'proxyconfigs');
      [tables[proxy], tables[proxy + 1]] = [tables[proxy + 1], tables[proxy]];
      r.schema.mps.tables[0].primaryKey = ['guid', 'tenant_id'];
      expect(releaseIssues(r)).toEqual([
        'schema.rps.profiles_proxyconfigs: references proxyconfigs, which is not created before it',
        'schema.mps.devices: key column tenant_id is not a column',
      ]);
    });

    it("an MPS or RPS without the image's application folder", () => {
      const r = clone(TOOLKIT_V2_37_0);
      delete r.components.mps.appDir;
      r.components.rps.appDir = 'rps';
      expect(releaseIssues(r)).toEqual([
        "components.mps.appDir must be the image's absolute application folder",
        "components.rps.appDir must be the image's absolute application folder",
      ]);
    });

    it('a configuration key listed twice', () => {
      const r = clone(TOOLKIT_V2_37_0);
      (r.configKeys as Record<string, string[]>).rps = [
        ...r.configKeys.rps,
        'RPS_WEB_PORT',
      ];
      expect(releaseIssues(r)).toEqual(['configKeys.rps lists a key twice']);
    });
  });
});
