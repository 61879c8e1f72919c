import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createInitDatabaseAction,
  createProvisionSecretsAction,
  createRenderDeploymentAction,
} from './actions';

/** Adds the Open AMT actions to the scaffolder. */
export const scaffolderModuleOpenAmt = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'open-amt',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, config, auditor }) {
        scaffolder.addActions(
          createRenderDeploymentAction(),
          createProvisionSecretsAction({ config, auditor }),
          createInitDatabaseAction({ config, auditor }),
        );
      },
    });
  },
});
