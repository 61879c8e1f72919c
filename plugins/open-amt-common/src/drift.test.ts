import {
  computeDeploymentDrift,
  DRIFT_DETAILS,
  type DriftInput,
  type DriftItem,
  type DriftKind,
} from './drift';
import {
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASES,
  UNANNOTATED_TOOLKIT_RELEASE,
} from './releases';

type Row = DriftInput['components'][number];

const latest = LATEST_TOOLKIT_RELEASE;
const oldest = TOOLKIT_RELEASES[TOOLKIT_RELEASES.length - 1];

/** Services reporting exactly what `release` pins. */
function servicesOf(release = latest): Row[] {
  return (['mps', 'rps', 'mpsrouter', 'webui'] as const).map(id => ({
    component: id,
    status: 'healthy',
    message: 'ok',
    details: { version: release.components[id].version },
  }));
}

const database = (details: Record<string, unknown>): Row => ({
  component: 'database',
  status: 'healthy',
  message: 'ok',
  details,
});
const gateway = (
  details: Record<string, unknown>,
  status = 'healthy',
): Row => ({
  component: 'gateway',
  status: status as Row['status'],
  message: 'The gateway answered HTTP 503.',
  details,
});
const schemaOf = (release: string) => ({
  [DRIFT_DETAILS.schemaVersion]: {
    rps: { release, source: 'table' },
    mps: { release, source: 'table' },
  },
});
const noDrift = { drift: { missing: [], extra: [], unresolvedServices: [] } };

function item(input: DriftInput, kind: DriftKind): DriftItem {
  return computeDeploymentDrift(input).items.find(i => i.kind === kind)!;
}

describe('computeDeploymentDrift', () => {
  const current: DriftInput = {
    annotatedRelease: latest.id,
    components: [
      ...servicesOf(),
      database(schemaOf(latest.id)),
      gateway(noDrift),
    ],
  };

  it('a deployment on the newest release, matching everything, is current and not behind', () => {
    const drift = computeDeploymentDrift(current);
    expect(drift.release).toBe(latest.id);
    expect(drift.behind).toBe(false);
    expect(drift.driftedCount).toBe(0);
    expect(drift.items.map(i => [i.kind, i.state])).toEqual([
      ['release', 'current'],
      ['serviceVersion', 'current'],
      ['schema', 'current'],
      ['gatewayRoutes', 'current'],
    ]);
    expect(drift.items.every(i => i.fix === undefined)).toBe(true);
  });

  describe('release', () => {
    it('without the annotation the deployment is on v2.26.0, behind the newest, and the upgrade template fixes it', () => {
      const drift = computeDeploymentDrift({ components: [] });
      expect(drift.release).toBe(UNANNOTATED_TOOLKIT_RELEASE.id);
      expect(drift.behind).toBe(latest.id !== UNANNOTATED_TOOLKIT_RELEASE.id);
      const release = drift.items[0];
      expect(release.state).toBe('behind');
      expect(release.explanation).toContain('No open-amt.io/toolkit-release');
      expect(release.fix).toContain("'Upgrade an Open AMT deployment'");
      expect(release.fix).toContain(latest.id);
    });

    it('an annotated older release is behind; the newest is not', () => {
      expect(
        computeDeploymentDrift({ annotatedRelease: oldest.id, components: [] })
          .behind,
      ).toBe(true);
      expect(
        computeDeploymentDrift({ annotatedRelease: latest.id, components: [] })
          .behind,
      ).toBe(false);
    });

    it('a release this portal does not know is not checkable, not "current"', () => {
      const drift = computeDeploymentDrift({
        annotatedRelease: 'v9.9.9',
        components: servicesOf(),
      });
      expect(drift.behind).toBe(false);
      expect(drift.items[0].state).toBe('notCheckable');
      expect(drift.items[0].explanation).toContain('v9.9.9');
      expect(
        item({ ...current, annotatedRelease: 'v9.9.9' }, 'serviceVersion')
          .state,
      ).toBe('notCheckable');
    });
  });

  describe('service versions', () => {
    it('a service running another version than its release pins is drifted, naming both versions', () => {
      const components = servicesOf(latest).map(c =>
        c.component === 'rps' ? { ...c, details: { version: 'v0.0.1' } } : c,
      );
      const found = item({ ...current, components }, 'serviceVersion');
      expect(found.state).toBe('drifted');
      expect(found.explanation).toContain('RPS runs v0.0.1');
      expect(found.explanation).toContain(
        `pins v${latest.components.rps.version}`,
      );
      expect(found.fix).toBeDefined();
      expect(
        computeDeploymentDrift({ ...current, components }).driftedCount,
      ).toBe(1);
    });

    it('services judged against the annotated release, not the newest: an old deployment running its own versions is current', () => {
      expect(
        item(
          { annotatedRelease: oldest.id, components: servicesOf(oldest) },
          'serviceVersion',
        ).state,
      ).toBe('current');
      // The two releases pin different service versions (v2.26.0: mps 2.13.21, v2.37.0: mps 2.34.1).
      expect(
        item(
          { annotatedRelease: oldest.id, components: servicesOf(latest) },
          'serviceVersion',
        ).state,
      ).toBe('drifted');
    });

    it('a leading v and whitespace are not drift; services that report no version are named, not counted as matching', () => {
      const detailsOf: Partial<Record<string, Record<string, unknown>>> = {
        mps: { version: ` v${latest.components.mps.version}` },
        webui: {},
      };
      const components = servicesOf().map(c => ({
        ...c,
        details: detailsOf[c.component] ?? c.details,
      }));
      const found = item({ ...current, components }, 'serviceVersion');
      expect(found.state).toBe('current');
      expect(found.explanation).toContain(
        'Not reported (no version read): Web UI',
      );
    });

    it('no version read at all is not checkable', () => {
      expect(
        item({ annotatedRelease: latest.id, components: [] }, 'serviceVersion')
          .state,
      ).toBe('notCheckable');
    });
  });

  describe('schema', () => {
    it('a database holding an older release than the deployment is drifted, fixed by the upgrade template', () => {
      const found = item(
        {
          ...current,
          components: [database(schemaOf(oldest.id))],
        },
        'schema',
      );
      expect(found.state).toBe('drifted');
      expect(found.explanation).toContain(`holds the schema of ${oldest.id}`);
      expect(found.fix).toContain('Upgrade an Open AMT deployment');
    });

    it('a detected mps database matching several releases, the deployment’s among them, is current', () => {
      const found = item(
        {
          ...current,
          components: [
            database({
              schemaVersion: {
                rps: {
                  release: latest.id,
                  source: 'detected',
                  matching: [latest.id],
                },
                mps: {
                  release: oldest.id,
                  source: 'detected',
                  matching: [oldest.id, latest.id],
                },
              },
            }),
          ],
        },
        'schema',
      );
      expect(found.state).toBe('current');
    });

    it('a schema that matches no release is drifted, with its differences', () => {
      const found = item(
        {
          ...current,
          components: [
            database({
              schemaVersion: {
                rps: {
                  source: 'unknown',
                  differences: ['table profiles lacks column x'],
                },
                mps: { release: latest.id, source: 'table' },
              },
            }),
          ],
        },
        'schema',
      );
      expect(found.state).toBe('drifted');
      expect(found.explanation).toContain('table profiles lacks column x');
    });

    it('an adapter without detectSchemaVersion, or a failed probe, is not checkable with its reason', () => {
      expect(
        item(
          {
            ...current,
            components: [
              database({
                [DRIFT_DETAILS.schemaVersionNotCheckable]:
                  'the adapter cannot read it',
              }),
            ],
          },
          'schema',
        ),
      ).toEqual({
        kind: 'schema',
        state: 'notCheckable',
        explanation: 'the adapter cannot read it',
      });
      expect(item({ ...current, components: [] }, 'schema').state).toBe(
        'notCheckable',
      );
    });
  });

  describe('gateway routes', () => {
    it('missing or extra live routes are drifted, naming them', () => {
      const found = item(
        {
          ...current,
          components: [
            gateway({
              drift: {
                missing: ['rps-api'],
                extra: ['debug'],
                unresolvedServices: [],
              },
            }),
          ],
        },
        'gatewayRoutes',
      );
      expect(found.state).toBe('drifted');
      expect(found.explanation).toContain('missing rps-api');
      expect(found.explanation).toContain('unexpected debug');
      expect(found.fix).toBeDefined();
    });

    it('a gateway whose adapter cannot read routes says why; one that did not answer says that', () => {
      expect(
        item(
          {
            ...current,
            components: [
              gateway({ routesNotCheckable: 'the vendor API needs IAM' }),
            ],
          },
          'gatewayRoutes',
        ).explanation,
      ).toBe('the vendor API needs IAM');
      const down = item(
        { ...current, components: [gateway({}, 'down')] },
        'gatewayRoutes',
      );
      expect(down.state).toBe('notCheckable');
      expect(down.explanation).toContain('HTTP 503');
    });
  });

  it('counts every drifted item', () => {
    const drift = computeDeploymentDrift({
      annotatedRelease: latest.id,
      components: [
        ...servicesOf().map(c => ({ ...c, details: { version: '0.0.0' } })),
        database(schemaOf(oldest.id)),
        gateway({ drift: { missing: ['x'] } }),
      ],
    });
    expect(drift.driftedCount).toBe(3);
  });
});
