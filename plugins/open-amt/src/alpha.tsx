import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { OpenAmtClient, openAmtApiRef } from './api';
import { isOpenAmtDeploymentAvailable } from './lib/entity';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';

// The legacy and the new system share one route: links bound to either resolve to the same page.
const routes = convertLegacyRouteRefs({ root: rootRouteRef });
const externalRoutes = convertLegacyRouteRefs({
  scaffolderTemplate: scaffolderTemplateRouteRef,
});

/** @alpha */
export const openAmtApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: openAmtApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OpenAmtClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const openAmtHealthEntityCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    filter: isOpenAmtDeploymentAvailable,
    loader: () =>
      import('./components/EntityOpenAmtHealthCard').then(m =>
        compatWrapper(<m.EntityOpenAmtHealthCard />),
      ),
  },
});

/** @alpha */
export const openAmtDeploymentEntityContent = EntityContentBlueprint.make({
  name: 'deployment',
  params: {
    path: '/open-amt',
    title: 'Open AMT',
    filter: isOpenAmtDeploymentAvailable,
    loader: () =>
      import('./components/EntityOpenAmtDeploymentContent').then(m =>
        compatWrapper(<m.EntityOpenAmtDeploymentContent />),
      ),
  },
});

/** @alpha */
export const openAmtFleetPage = PageBlueprint.make({
  params: {
    path: '/open-amt',
    // With an icon, the app's sidebar lists the page (new frontend system nav items come from pages).
    title: 'Open AMT',
    icon: <DeviceHubIcon fontSize="inherit" />,
    routeRef: routes.root,
    // The page renders its own Backstage Header; a second framework header would repeat the title.
    noHeader: true,
    loader: () =>
      import('./components/OpenAmtFleetPage').then(m =>
        compatWrapper(<m.OpenAmtFleetPage />),
      ),
  },
});

/** @alpha */
export const openAmtProviderPickerFormField = FormFieldBlueprint.make({
  name: 'provider-picker',
  params: {
    field: () =>
      import('./components/OpenAmtProviderPicker/formField').then(
        m => m.openAmtProviderPickerFormField,
      ),
  },
});

/** @alpha */
export const openAmtDeploymentNameFormField = FormFieldBlueprint.make({
  name: 'deployment-name',
  params: {
    field: () =>
      import('./components/OpenAmtDeploymentNameField/formField').then(
        m => m.openAmtDeploymentNameFormField,
      ),
  },
});

/**
 * Open AMT for the new frontend system: API, entity card, entity tab, fleet page, scaffolder field.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'open-amt',
  title: 'Open AMT',
  icon: <DeviceHubIcon fontSize="inherit" />,
  routes,
  externalRoutes,
  extensions: [
    openAmtApi,
    openAmtHealthEntityCard,
    openAmtDeploymentEntityContent,
    openAmtFleetPage,
    openAmtProviderPickerFormField,
    openAmtDeploymentNameFormField,
  ],
});
