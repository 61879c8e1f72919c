/**
 * catalog-info entities through @backstage/catalog-model's own policies and kind validators, plus relation targets,
 * and the System's annotations through the health engine's own parser: every part it probes must be usable.
 */
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { readDeploymentTarget } from '@open-amt-backstage/plugin-open-amt-common';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const VALIDATORS: Record<string, { check(e: any): Promise<boolean> }> = {
  System: systemEntityV1alpha1Validator,
  Component: componentEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
};

function healthEngineIssues(system: any): string[] {
  const target = readDeploymentTarget(system);
  if (!target)
    return [`${system.metadata.name}: not read as an Open AMT deployment`];
  const unprobed = (['database', 'secrets', 'gateway', 'cira'] as const).filter(
    part => !target[part],
  );
  return [
    ...target.problems.map(p => `${system.metadata.name}: ${p}`),
    ...unprobed.map(
      part => `${system.metadata.name}: the health engine cannot probe ${part}`,
    ),
  ];
}

export async function checkCatalogEntities(entities: any[]): Promise<string[]> {
  const issues: string[] = [];
  const refs = new Set<string>();
  for (const e of entities) {
    try {
      const out = await policy.enforce(JSON.parse(JSON.stringify(e)));
      if (!out) throw new Error('rejected by policy');
      const v = VALIDATORS[e.kind];
      if (!v || !(await v.check(out)))
        throw new Error(`no ${e.kind} validator accepted it`);
      refs.add(stringifyEntityRef(out));
      if (e.kind === 'System') issues.push(...healthEngineIssues(e));
      for (const k of Object.keys(e.metadata.annotations ?? {}))
        if (!k.includes('/'))
          issues.push(
            `${e.metadata.name}: annotation ${k} lacks a domain prefix`,
          );
    } catch (err: any) {
      issues.push(`${e.kind}/${e.metadata?.name}: ${err.message}`);
    }
  }
  for (const e of entities) {
    for (const target of [
      ...(e.spec?.dependsOn ?? []),
      ...(e.spec?.system ? [`system:${e.spec.system}`] : []),
    ]) {
      const ref = stringifyEntityRef(
        parseEntityRef(target, { defaultNamespace: 'default' }),
      );
      if (!refs.has(ref))
        issues.push(
          `${e.metadata.name}: relation target ${target} not in the file`,
        );
    }
  }
  return issues;
}
