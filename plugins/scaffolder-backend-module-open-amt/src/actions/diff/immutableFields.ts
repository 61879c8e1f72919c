import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * The spec fields a change cannot alter in place, and why: changing one means another deployment (or the upgrade
 * template), not a pull request on this one. A path that names a section covers each of its fields.
 */
export const IMMUTABLE_FIELDS: readonly { path: string; why: string }[] = [
  {
    path: 'name',
    why: "it is the System's name, the secrets store's path and the built images' names: a new name is a new deployment",
  },
  {
    path: 'target',
    why: 'moving between Docker Compose and a Kubernetes flavour is a migration of the running services, not a change of files',
  },
  {
    path: 'namespace',
    why: 'the workloads, Secrets and Services would be created anew in the other namespace; the running ones are not moved',
  },
  {
    path: 'fqdn',
    why: "it is in MPS's CIRA certificate (MPS_COMMON_NAME) and in every device's CIRA configuration, which keeps dialling the old name",
  },
  {
    path: 'toolkitRelease',
    why: 'another release migrates the databases and the configuration: use the upgrade template',
  },
  {
    path: 'jwtIssuer',
    why: "the form has no field for it, and tokens MPS signed and the gateway's JWT rules would stop matching",
  },
  {
    path: 'database.provider',
    why: 'another engine starts empty: devices, profiles and domains are not migrated',
  },
  {
    path: 'database.mpsDatabase',
    why: 'another database starts empty: MPS data is not migrated',
  },
  {
    path: 'database.rpsDatabase',
    why: 'another database starts empty: RPS profiles and domains are not migrated',
  },
  {
    path: 'secrets',
    why: "the store holds the services' credentials and the device passwords RPS generated; another store or path starts without them",
  },
];

/** `a.b` → value, for every leaf of a spec (arrays as values). */
export function flattenSpec(
  value: unknown,
  at = '',
  out: Map<string, unknown> = new Map(),
): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value))
      flattenSpec(v, at ? `${at}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(at, value);
  }
  return out;
}

/** The spec fields whose value differs, by path, in the order of the recorded spec then the new one. */
export function changedFields(
  before: DeploymentSpec,
  after: DeploymentSpec,
): { path: string; before: unknown; after: unknown }[] {
  const a = flattenSpec(before);
  const b = flattenSpec(after);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter(p => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .map(path => ({ path, before: a.get(path), after: b.get(path) }));
}

/** The changed fields an immutable rule covers, each with its rule. */
export function immutableChanges(
  changed: readonly { path: string }[],
): { path: string; why: string }[] {
  return changed.flatMap(({ path }) => {
    const rule = IMMUTABLE_FIELDS.find(
      r => path === r.path || path.startsWith(`${r.path}.`),
    );
    return rule ? [{ path, why: rule.why }] : [];
  });
}
