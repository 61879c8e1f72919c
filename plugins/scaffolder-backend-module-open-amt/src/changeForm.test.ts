/**
 * Changing a deployment starts from the form pre-filled with its recorded spec (open-amt-common changeFormDataOf):
 * through the template's own render-step expressions, that form data must build the recorded spec again, field for
 * field, for every combination, release and image choice.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import {
  CHANGE_OF_PARAMETER,
  changeFormDataOf,
  DeploymentSpecInput,
  parseDeploymentSpec,
} from '@open-amt-backstage/plugin-open-amt-common';
import { allCombinations, specFor } from './__testUtils__/specs';
import { templateEvaluator } from './__testUtils__/templateExpressions';
import { parseSpecInput } from './actions/specInput';

const template = parse(
  readFileSync(
    resolve(__dirname, '../../../templates/open-amt-production/template.yaml'),
    'utf8',
  ),
);
const renderStep = template.spec.steps.find((s: any) => s.id === 'render');
/** Every top-level field of the form: a page's own, and those its dependencies' branches add (namespace). */
const formFields = new Set(
  template.spec.parameters.flatMap((p: any) => [
    ...Object.keys(p.properties),
    ...Object.values<any>(p.dependencies ?? {}).flatMap(d =>
      (d.oneOf ?? []).flatMap((b: any) => Object.keys(b.properties ?? {})),
    ),
  ]),
);

/** The spec the template's render step builds from this form data, as the render action parses it. */
function specFromForm(formData: Record<string, any>) {
  const { resolveValue } = templateEvaluator(formData);
  return parseSpecInput(resolveValue(renderStep.input).spec);
}

/** The recorded spec: what the render action records on the System (the parsed spec, as JSON). */
const recordedOf = (input: DeploymentSpecInput) =>
  JSON.parse(JSON.stringify(parseDeploymentSpec(input)));

describe('the change form pre-filled from a recorded spec', () => {
  const ref = 'system:default/factory-east';

  it('builds the recorded spec again through the template, for every combination and release', () => {
    const mismatched: string[] = [];
    for (const combination of allCombinations())
      for (const toolkitRelease of ['v2.26.0', 'v2.37.0'] as const) {
        const recorded = recordedOf({
          ...specFor(combination),
          toolkitRelease,
          replicas: { mps: 3, rps: 1, mpsrouter: 2, webui: 2 },
          description: 'line 4',
          monitoring: { ciraEndpoint: '10.0.4.20:4433' },
        });
        const formData = changeFormDataOf(ref, recorded);
        if (JSON.stringify(specFromForm(formData)) !== JSON.stringify(recorded))
          mismatched.push(`${recorded.name} ${toolkitRelease}`);
      }
    expect(mismatched).toEqual([]);
  });

  it('puts the image registry on the page whose provider shows the field, so the person sees what is kept', () => {
    /** The fields the form shows in a section for its chosen provider (the provider's dependency branch). */
    const shownFields = (
      pageTitle: string,
      section: string,
      provider: string,
    ) => {
      const page = template.spec.parameters.find(
        (p: any) => p.title === pageTitle,
      );
      const branch = page.properties[section].dependencies.provider.oneOf.find(
        (b: any) => {
          const p = b.properties.provider;
          return p.const === provider || p.enum?.includes(provider);
        },
      );
      return Object.keys(branch.properties);
    };
    const hidden: string[] = [];
    for (const combination of allCombinations()) {
      const formData = changeFormDataOf(ref, recordedOf(specFor(combination)));
      for (const [pageTitle, section] of [
        ['Database', 'database'],
        ['Secrets store', 'secrets'],
      ])
        if (
          formData[section].imageRegistry !== undefined &&
          !shownFields(pageTitle, section, formData[section].provider).includes(
            'imageRegistry',
          )
        )
          hidden.push(`${formData.name} ${section}`);
    }
    expect(hidden).toEqual([]);
  });

  it("keeps the operator's own images as recorded and shows no override for the release's", () => {
    const own = recordedOf({
      ...specFor(allCombinations()[0]),
      images: {
        mps: 'registry.example.com/mps:v1',
        rps: 'registry.example.com/rps:v1',
        webui: 'registry.example.com/webui:v9',
      },
    });
    const formData = changeFormDataOf(ref, own);
    expect(formData.images).toEqual({
      ownImages: true,
      mps: 'registry.example.com/mps:v1',
      rps: 'registry.example.com/rps:v1',
      webui: 'registry.example.com/webui:v9',
    });
    expect(specFromForm(formData).images).toEqual(own.images);
    const upstream = changeFormDataOf(
      ref,
      recordedOf(specFor(allCombinations()[0])),
    );
    expect(upstream.images).toEqual({ ownImages: false });
  });

  it('marks the run as a change of the entity and fills only fields the form has', () => {
    const formData = changeFormDataOf(
      ref,
      recordedOf(specFor(allCombinations()[0])),
    );
    expect(formData[CHANGE_OF_PARAMETER]).toBe(ref);
    expect(Object.keys(formData).filter(k => !formFields.has(k))).toEqual([]);
  });

  it('is not vacuous: form data that loses a field builds another spec', () => {
    // A kit row whose registry the mapping forgot: the spec is refused (MPS and RPS need the built images).
    const kit = allCombinations().find(c => c.database === 'mariadb')!;
    const recorded = recordedOf(specFor(kit));
    const formData = changeFormDataOf(ref, recorded);
    expect(formData.database.imageRegistry).toBe(recorded.images.registry);
    expect(() =>
      specFromForm({
        ...formData,
        database: { ...formData.database, imageRegistry: undefined },
      }),
    ).toThrow(/images\.registry/);
    // Replicas the mapping dropped: the defaults, not the recorded counts.
    const scaled = recordedOf({
      ...specFor(allCombinations()[0]),
      replicas: { mps: 5 },
    });
    const { replicas, ...withoutReplicas } = changeFormDataOf(ref, scaled);
    expect(replicas.mps).toBe(5);
    expect(specFromForm(withoutReplicas).replicas.mps).not.toBe(5);
  });
});
