import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { OpenAmtClient, openAmtApiRef } from './api';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';
import {
  OPEN_AMT_PROVIDER_PICKER_NAME,
  OpenAmtProviderPicker,
  OpenAmtProviderPickerFieldSchema,
  openAmtProviderPickerValidation,
} from './components/OpenAmtProviderPicker';
import {
  OpenAmtDeploymentNameField,
  openAmtDeploymentNameValidation,
} from './components/OpenAmtDeploymentNameField';
import { OPEN_AMT_DEPLOYMENT_NAME_FIELD } from './components/OpenAmtDeploymentNameField/formField';

export const openAmtPlugin = createPlugin({
  id: 'open-amt',
  apis: [
    createApiFactory({
      api: openAmtApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenAmtClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
  externalRoutes: { scaffolderTemplate: scaffolderTemplateRouteRef },
});

/** The deployment's status and one row per component, for entity overview pages. */
export const EntityOpenAmtHealthCard = openAmtPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenAmtHealthCard',
    component: {
      lazy: () =>
        import('./components/EntityOpenAmtHealthCard').then(
          m => m.EntityOpenAmtHealthCard,
        ),
    },
  }),
);

/** The Open AMT entity tab: components, history, gateway drift, runbook and consoles. */
export const EntityOpenAmtDeploymentContent = openAmtPlugin.provide(
  createComponentExtension({
    name: 'EntityOpenAmtDeploymentContent',
    component: {
      lazy: () =>
        import('./components/EntityOpenAmtDeploymentContent').then(
          m => m.EntityOpenAmtDeploymentContent,
        ),
    },
  }),
);

/** Every deployment with its status; mount it on a route, e.g. /open-amt. */
export const OpenAmtFleetPage = openAmtPlugin.provide(
  createRoutableExtension({
    name: 'OpenAmtFleetPage',
    component: () =>
      import('./components/OpenAmtFleetPage').then(m => m.OpenAmtFleetPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Scaffolder field `OpenAmtProviderPicker` (`ui:options: { kind: database | secrets | gateway }`): each
 * option with its support level and implication. Register it inside <ScaffolderFieldExtensions>.
 */
export const OpenAmtProviderPickerFieldExtension = openAmtPlugin.provide(
  createScaffolderFieldExtension({
    name: OPEN_AMT_PROVIDER_PICKER_NAME,
    component: OpenAmtProviderPicker,
    validation: openAmtProviderPickerValidation,
    schema: OpenAmtProviderPickerFieldSchema.schema,
  }),
);

/**
 * Scaffolder field `OpenAmtDeploymentName`: the deployment's name, refused on the form when the catalog already has a
 * System of that name. Register it inside <ScaffolderFieldExtensions>.
 */
export const OpenAmtDeploymentNameFieldExtension = openAmtPlugin.provide(
  createScaffolderFieldExtension({
    name: OPEN_AMT_DEPLOYMENT_NAME_FIELD,
    component: OpenAmtDeploymentNameField,
    validation: openAmtDeploymentNameValidation,
  }),
);
