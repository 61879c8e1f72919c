/**
 * The demo variant as applyTemplateOverlay builds it from the two files in the repository: the adopters' form up
 * to its Repository page, local publishing in place of the repository hosts; and an overlay that drifted from
 * the template (a page or step the template no longer has) is refused, not silently ignored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyTemplateOverlay } from './templateVariant';

// Test code that always runs from source.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../../../..');
const read = (p: string) =>
  parse(fs.readFileSync(path.join(repoRoot, p), 'utf8'));
const template = read('templates/open-amt-production/template.yaml');
const overlay = read(
  'packages/backend/templates/open-amt-production-demo.yaml',
);

describe('the demo variant of the production template', () => {
  const variant = applyTemplateOverlay(template, overlay) as any;

  it('keeps the form and replaces only the Repository page', () => {
    expect(variant.spec.parameters.map((p: any) => p.title)).toEqual(
      template.spec.parameters.map((p: any) => p.title),
    );
    expect(variant.spec.parameters.slice(0, -1)).toEqual(
      template.spec.parameters.slice(0, -1),
    );
    expect(
      variant.spec.parameters.at(-1).properties.publishTarget.enum,
    ).toEqual(['open-amt:publish:local']);
    expect(variant.metadata).toEqual(template.metadata);
  });

  it('publishes locally, after the same render, secrets and database steps, and checks that first', () => {
    expect(variant.spec.steps.map((s: any) => `${s.id} ${s.action}`)).toEqual([
      'preflight open-amt:preflight',
      'render open-amt:deployment:render',
      'diff open-amt:deployment:diff',
      'database-check open-amt:database:init',
      'secrets open-amt:secrets:provision',
      'database open-amt:database:init',
      'publish-local open-amt:publish:local',
    ]);
    const shared = ['render', 'diff', 'database-check', 'secrets', 'database'];
    for (const id of shared)
      expect(variant.spec.steps.find((s: any) => s.id === id)).toEqual(
        template.spec.steps.find((s: any) => s.id === id),
      );
    expect(variant.spec.steps[0].input.actions).toContain(
      '${{ parameters.publishTarget }}',
    );
    // Changing a deployment: the preflight checks the name against changeOf and the diff action is installed.
    expect(variant.spec.steps[0].input.changeOf).toBe(
      '${{ parameters.changeOf }}',
    );
    expect(variant.spec.steps[0].input.actions).toContain(
      "${{ 'open-amt:deployment:diff' if parameters.changeOf }}",
    );
    expect(JSON.stringify(variant.spec.output)).not.toContain('publish-github');
  });

  it('refuses an overlay naming a page or a step the template does not have', () => {
    expect(() =>
      applyTemplateOverlay(template, {
        ...overlay,
        parameters: [{ ...overlay.parameters[0], title: 'Publishing' }],
      }),
    ).toThrow(
      'the overlay replaces the form page "Publishing", which the template does not have',
    );
    expect(() =>
      applyTemplateOverlay(template, {
        ...overlay,
        removeSteps: [...overlay.removeSteps, 'publish-gitea'],
      }),
    ).toThrow(
      'the overlay removes the step "publish-gitea", which the template does not have',
    );
  });
});

describe('the demo variant of the upgrade template', () => {
  const upgrade = read('templates/open-amt-upgrade/template.yaml');
  const upgradeOverlay = read(
    'packages/backend/templates/open-amt-upgrade-demo.yaml',
  );
  const variant = applyTemplateOverlay(upgrade, upgradeOverlay) as any;

  it('upgrades as the adopters’ template does, then publishes into the deployments folder instead of a pull request', () => {
    expect(variant.spec.parameters.slice(0, -1)).toEqual(
      upgrade.spec.parameters.slice(0, -1),
    );
    expect(variant.spec.steps.map((s: any) => `${s.id} ${s.action}`)).toEqual([
      'preflight open-amt:preflight',
      'upgrade open-amt:deployment:upgrade',
      'publish-local open-amt:publish:local',
    ]);
    expect(variant.spec.steps[1]).toEqual(upgrade.spec.steps[1]);
    expect(variant.spec.steps[0].input.actions).toContain(
      '${{ parameters.publishTarget }}',
    );
    expect(
      variant.spec.parameters.at(-1).properties.publishTarget.enum,
    ).toEqual(['open-amt:publish:local']);
    expect(JSON.stringify(variant.spec.output)).not.toMatch(
      /pull-request-github|merge-request-gitlab/,
    );
  });
});
