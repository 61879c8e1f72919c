/**
 * A template variant: a template with some form pages, steps and its output replaced by an overlay's, so two
 * portals share one form (see packages/backend/templates/open-amt-production-demo.yaml for the rules).
 */
import type { Entity } from '@backstage/catalog-model';

/** A JSON object as entities carry them; a form page (matched by title) and a step (matched by id) are such. */
type JsonObject = NonNullable<Entity['spec']>;
type Page = JsonObject & { title?: string };
type Step = JsonObject & { id?: string };

export interface TemplateOverlay {
  parameters?: Page[];
  steps?: Step[];
  removeSteps?: string[];
  output?: JsonObject;
}

/** Throws when the overlay names a page or step the template does not have: the two files drifted apart. */
export function applyTemplateOverlay(
  template: Entity,
  overlay: TemplateOverlay,
): Entity {
  const spec = (template.spec ?? {}) as {
    parameters?: Page[] | Page;
    steps?: Step[];
  };
  const pages = [spec.parameters ?? []].flat();
  const steps = spec.steps ?? [];
  for (const page of overlay.parameters ?? [])
    if (!pages.some(p => p.title === page.title))
      throw new Error(
        `the overlay replaces the form page "${page.title}", which the template does not have`,
      );
  for (const id of overlay.removeSteps ?? [])
    if (!steps.some(s => s.id === id))
      throw new Error(
        `the overlay removes the step "${id}", which the template does not have`,
      );
  const replacedPage = (p: Page) =>
    overlay.parameters?.find(o => o.title === p.title) ?? p;
  const overlaySteps = overlay.steps ?? [];
  const kept = steps
    .filter(s => !overlay.removeSteps?.includes(s.id ?? ''))
    .map(s => overlaySteps.find(o => o.id === s.id) ?? s);
  const added = overlaySteps.filter(o => !steps.some(s => s.id === o.id));
  return {
    ...template,
    spec: {
      ...template.spec,
      parameters: pages.map(replacedPage),
      steps: [...kept, ...added],
      ...(overlay.output !== undefined ? { output: overlay.output } : {}),
    },
  };
}
