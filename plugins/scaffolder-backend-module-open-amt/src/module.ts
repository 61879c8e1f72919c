import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createInitDatabaseAction,
  createProvisionSecretsAction,
  createPublishLocalAction,
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, config, discovery, auth, auditor }) {
        scaffolder.addActions(
          createRenderDeploymentAction(),
          createProvisionSecretsAction({ config, auditor }),
          createInitDatabaseAction({ config, auditor }),
          createPublishLocalAction({ config, discovery, auth, auditor }),
        );
      },
    });
  },
});
