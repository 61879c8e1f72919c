import type { ComponentHealth } from './health';
import {
  compareReleaseIds,
  LATEST_TOOLKIT_RELEASE,
  TOOLKIT_RELEASES,
  TOOLKIT_SERVICE_IDS,
  UNANNOTATED_TOOLKIT_RELEASE,
  type ToolkitServiceId,
} from './releases';

/**
 * How far a deployment has moved from what was generated for it, and from the newest release this portal supports.
 * Computed by the backend from the stored component health and the System's annotations (computeDeploymentDrift).
 */
export const DRIFT_KINDS = [
  'release',
  'serviceVersion',
  'schema',
  'gatewayRoutes',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_STATES = [
  'current',
  'behind',
  'drifted',
  'notCheckable',
] as const;
export type DriftState = (typeof DRIFT_STATES)[number];

export interface DriftItem {
  kind: DriftKind;
  state: DriftState;
  /** One or two sentences: what was compared with what, and what was found (or why it cannot be checked). */
  explanation: string;
  /** The action or runbook step that brings it back; absent when there is nothing to do. */
  fix?: string;
}

export interface DeploymentDrift {
  /** The release the deployment was scaffolded for (its annotation; v2.26.0 without one). */
  release: string;
  /** The newest release this portal supports. */
  latestRelease: string;
  /** The deployment's release is older than latestRelease. */
  behind: boolean;
  /** How many items are 'drifted'. */
  driftedCount: number;
  items: DriftItem[];
}

/** The schema version found in one database (a database adapter's detectSchemaVersion). */
export interface SchemaVersionFinding {
  /** The release whose schema the database holds; undefined when none matches. */
  release?: string;
  /** `table`: recorded in the project's version table; `detected`: from the tables and columns present. */
  source: 'table' | 'detected' | 'unknown';
  /** When detected: every release whose tables and columns match (mpsdb is the same in several). */
  matching?: string[];
  /** When unknown: what differs from the nearest release, one sentence each. */
  differences?: string[];
}

/**
 * Keys of ComponentHealth.details the probes fill for drift (gateway: `drift`, the Kong adapter's listing of
 * missing / extra routes). A gateway adapter that cannot read live routes says why in `routesNotCheckable`.
 */
export const DRIFT_DETAILS = {
  /** database: `{ rps: SchemaVersionFinding, mps: SchemaVersionFinding }`. */
  schemaVersion: 'schemaVersion',
  /** database: why the schema version was not read (a sentence). */
  schemaVersionNotCheckable: 'schemaVersionNotCheckable',
  /** gateway: `{ missing: string[], extra: string[], unresolvedServices: string[] }` (lists of route names). */
  routeDrift: 'drift',
  /** gateway: why the live routes cannot be compared (a sentence naming the vendor limitation). */
  routesNotCheckable: 'routesNotCheckable',
} as const;

export const UPGRADE_TEMPLATE_TITLE = 'Upgrade an Open AMT deployment';
const runUpgrade = (to: string) =>
  `Run the '${UPGRADE_TEMPLATE_TITLE}' template to move it to ${to}.`;

const SERVICE_LABEL: Record<ToolkitServiceId, string> = {
  mps: 'MPS',
  rps: 'RPS',
  mpsrouter: 'MPS Router',
  webui: 'Web UI',
};

const text = (v: unknown) =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined;
const bare = (v: string) => v.trim().replace(/^v/i, '');
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

export interface DriftInput {
  /** The System's open-amt.io/toolkit-release annotation as written; undefined when absent. */
  annotatedRelease?: string;
  /** The deployment's latest stored component health. */
  components: readonly Pick<
    ComponentHealth,
    'component' | 'status' | 'message' | 'details'
  >[];
}

function releaseItem(release: string, annotated: boolean): DriftItem {
  const known = TOOLKIT_RELEASES.some(r => r.id === release);
  const latest = LATEST_TOOLKIT_RELEASE.id;
  const scaffolded = annotated
    ? `Scaffolded for ${release}`
    : `No open-amt.io/toolkit-release annotation: scaffolded before releases were recorded, so ${release}`;
  if (!known)
    return {
      kind: 'release',
      state: 'notCheckable',
      explanation: `${scaffolded}, a release this portal does not know (it supports ${TOOLKIT_RELEASES.map(
        r => r.id,
      ).join(', ')}).`,
      fix: 'Correct the open-amt.io/toolkit-release annotation in catalog-info.yaml, or upgrade the portal.',
    };
  if (compareReleaseIds(release, latest) < 0)
    return {
      kind: 'release',
      state: 'behind',
      explanation: `${scaffolded}; the newest supported release is ${latest}.`,
      fix: runUpgrade(latest),
    };
  return {
    kind: 'release',
    state: 'current',
    explanation: `${scaffolded}, the newest supported release.`,
  };
}

function serviceVersionItem(
  release: string,
  components: DriftInput['components'],
): DriftItem {
  const pinned = TOOLKIT_RELEASES.find(r => r.id === release);
  if (!pinned)
    return {
      kind: 'serviceVersion',
      state: 'notCheckable',
      explanation: `Release ${release} is not known to this portal: there are no pinned versions to compare with.`,
    };
  const mismatched: string[] = [];
  const matched: string[] = [];
  const unread: string[] = [];
  for (const id of TOOLKIT_SERVICE_IDS) {
    const row = components.find(c => c.component === id);
    const running = text(row?.details?.version);
    const expected = pinned.components[id].version;
    if (!running) unread.push(SERVICE_LABEL[id]);
    else if (bare(running) === bare(expected)) matched.push(SERVICE_LABEL[id]);
    else
      mismatched.push(
        `${SERVICE_LABEL[id]} runs v${bare(running)}, ${release} pins v${bare(
          expected,
        )}`,
      );
  }
  const notRead = unread.length
    ? ` Not reported (no version read): ${unread.join(', ')}.`
    : '';
  if (mismatched.length)
    return {
      kind: 'serviceVersion',
      state: 'drifted',
      explanation: `${mismatched.join('; ')}.${notRead}`,
      fix: `Deploy the image tags the deployment repository pins for ${release} again (the runbook's deploy step), or, if the services were upgraded on purpose, run the '${UPGRADE_TEMPLATE_TITLE}' template so the repository and catalog match.`,
    };
  if (matched.length)
    return {
      kind: 'serviceVersion',
      state: 'current',
      explanation: `${matched.join(
        ', ',
      )} run the versions ${release} pins.${notRead}`,
    };
  return {
    kind: 'serviceVersion',
    state: 'notCheckable',
    explanation: `No service reported its version (yet): ${unread.join(', ')}.`,
  };
}

function findingOf(v: unknown): SchemaVersionFinding | undefined {
  const r = record(v);
  if (!r) return undefined;
  const source = r.source;
  if (source !== 'table' && source !== 'detected' && source !== 'unknown')
    return undefined;
  return {
    source,
    release: text(r.release),
    matching: strings(r.matching),
    differences: strings(r.differences),
  };
}

function schemaItem(
  release: string,
  database: DriftInput['components'][number] | undefined,
): DriftItem {
  const notCheckable = (why: string): DriftItem => ({
    kind: 'schema',
    state: 'notCheckable',
    explanation: why,
  });
  if (!database) return notCheckable('The database was not probed yet.');
  const details = database.details ?? {};
  const why = text(details[DRIFT_DETAILS.schemaVersionNotCheckable]);
  const found = record(details[DRIFT_DETAILS.schemaVersion]);
  if (!found)
    return notCheckable(
      why ??
        `The schema version was not read: ${database.message.replace(
          /\.$/,
          '',
        )}.`,
    );
  const differs: string[] = [];
  const holds: string[] = [];
  for (const side of ['rps', 'mps'] as const) {
    const f = findingOf(found[side]);
    if (!f) {
      differs.push(`${side}: no finding`);
      continue;
    }
    if (f.release === release || f.matching?.includes(release)) {
      holds.push(side);
      continue;
    }
    if (f.release)
      differs.push(
        `${side} holds the schema of ${f.release}${
          f.source === 'table' ? ' (version table)' : ' (detected)'
        }`,
      );
    else
      differs.push(
        `${side} matches no supported release${
          f.differences?.length ? ` (${f.differences.join('; ')})` : ''
        }`,
      );
  }
  if (differs.length === 0)
    return {
      kind: 'schema',
      state: 'current',
      explanation: `Both databases hold the schema of ${release}.`,
    };
  const older = ['rps', 'mps'].some(side => {
    const f = findingOf(found[side]);
    return f?.release && compareReleaseIds(f.release, release) < 0;
  });
  return {
    kind: 'schema',
    state: 'drifted',
    explanation: `The deployment is on ${release}, but ${differs.join('; ')}.`,
    fix: older
      ? `Migrate the databases to ${release}: run the '${UPGRADE_TEMPLATE_TITLE}' template (it migrates step by step and records the version).`
      : `Compare the databases with the schema scripts in the deployment repository (database/) and restore them per the runbook; if the deployment was moved to a newer release by hand, record it in the open-amt.io/toolkit-release annotation.`,
  };
}

function gatewayRoutesItem(
  gateway: DriftInput['components'][number] | undefined,
): DriftItem {
  const notCheckable = (why: string): DriftItem => ({
    kind: 'gatewayRoutes',
    state: 'notCheckable',
    explanation: why,
  });
  if (!gateway) return notCheckable('The gateway was not probed yet.');
  const details = gateway.details ?? {};
  const why = text(details[DRIFT_DETAILS.routesNotCheckable]);
  if (why) return notCheckable(why);
  const drift = record(details[DRIFT_DETAILS.routeDrift]);
  if (!drift)
    return notCheckable(
      gateway.status === 'healthy'
        ? "The gateway's adapter does not report its live routes."
        : `The live routes were not read: ${gateway.message.replace(
            /\.$/,
            '',
          )}.`,
    );
  const missing = strings(drift.missing);
  const extra = strings(drift.extra);
  const unresolved = strings(drift.unresolvedServices);
  const parts = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `unexpected ${extra.join(', ')}` : '',
    unresolved.length ? `without a service ${unresolved.join(', ')}` : '',
  ].filter(Boolean);
  if (parts.length === 0)
    return {
      kind: 'gatewayRoutes',
      state: 'current',
      explanation: 'The live routes are the generated ones.',
    };
  return {
    kind: 'gatewayRoutes',
    state: 'drifted',
    explanation: `The live routes differ from the generated ones: ${parts.join(
      '; ',
    )}.`,
    fix: "Load the generated gateway configuration again (gateway/ in the deployment repository, the runbook's gateway step); keep extra routes only if they were added on purpose.",
  };
}

/**
 * A deployment's drift from its stored component health and its release annotation. Pure: the same input gives the
 * same answer in the backend (fleet filters and counts) and in tests.
 */
export function computeDeploymentDrift(input: DriftInput): DeploymentDrift {
  const annotated = text(input.annotatedRelease);
  const release = annotated ?? UNANNOTATED_TOOLKIT_RELEASE.id;
  const byId = (id: string) => input.components.find(c => c.component === id);
  const items = [
    releaseItem(release, annotated !== undefined),
    serviceVersionItem(release, input.components),
    schemaItem(release, byId('database')),
    gatewayRoutesItem(byId('gateway')),
  ];
  return {
    release,
    latestRelease: LATEST_TOOLKIT_RELEASE.id,
    behind: items[0].state === 'behind',
    driftedCount: items.filter(i => i.state === 'drifted').length,
    items,
  };
}
