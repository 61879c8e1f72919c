/*
 * Validates this repository's own catalog files the way the catalog does: the entity policies
 * (schema, field formats, no foreign root fields) and the kind validators of @backstage/catalog-model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';

const root = path.resolve(__dirname, '../../../..');
const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const validators: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

function load(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8')).map(
    d => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJSON() as Entity;
    },
  );
}

async function validate(entity: Entity) {
  const accepted = await policy.enforce(entity);
  expect(accepted).toBeDefined();
  const results = await Promise.all(validators.map(v => v.check(entity)));
  expect(results.filter(Boolean)).toHaveLength(1);
}

describe.each(['catalog-info.yaml', 'examples/org.yaml'])('%s', file => {
  const entities = load(file);

  it('holds entities', () => expect(entities.length).toBeGreaterThan(0));

  it.each(entities.map(e => [`${e.kind}:${e.metadata.name}`, e] as const))(
    '%s is valid',
    async (_, entity) => {
      await validate(entity);
    },
  );
});

describe('catalog-info.yaml', () => {
  it('has a Component for every plugin package, part of the System', () => {
    const entities = load('catalog-info.yaml');
    const system = entities.find(e => e.kind === 'System')!;
    const components = entities.filter(e => e.kind === 'Component');
    const pluginDirs = fs
      .readdirSync(path.join(root, 'plugins'))
      .filter(d =>
        fs.existsSync(path.join(root, 'plugins', d, 'package.json')),
      );
    expect(components.map(c => c.metadata.title).sort()).toEqual(
      pluginDirs.sort(),
    );
    for (const c of components)
      expect(c.spec?.system).toBe(system.metadata.name);
  });

  it('rejects what the catalog would reject (the validation can fail)', async () => {
    const bad = {
      ...load('catalog-info.yaml')[1],
      metadata: { name: 'Not A Valid Name!' },
    } as Entity;
    await expect(policy.enforce(bad)).rejects.toThrow(/metadata.name/);
  });
});
