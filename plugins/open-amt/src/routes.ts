import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'open-amt' });

/**
 * The scaffolder's page of one template (its wizard), for "Change this deployment". Bound by default to the
 * scaffolder's selectedTemplate route; unbound (a portal without the scaffolder), the button says so.
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  id: 'scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
