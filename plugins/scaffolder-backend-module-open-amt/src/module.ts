import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  scaffolderServiceRef,
} from '@backstage/plugin-scaffolder-node';
import {
  createDiffDeploymentAction,
  createInitDatabaseAction,
  createPreflightAction,
  createProvisionSecretsAction,
  createRenderDeploymentAction,
  createUpgradeDeploymentAction,
  createRotateSecretsAction,
} from './actions';
import { openAmtScaffolderProvidersExtensionPoint } from './extensionPoint';
import type { DatabaseRenderer } from './render/databases/types';
import type { GatewayRenderer } from './render/gateways/types';
import { createRenderProviders } from './render/providers';
import type { SecretStoreRenderer } from './render/secrets/types';

/** Adds the Open AMT actions to the scaffolder, with the databases, gateways and stores other modules add. */
export const scaffolderModuleOpenAmt = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'open-amt',
  register(env) {
    const added = {
      databases: [] as DatabaseRenderer[],
      gateways: [] as GatewayRenderer[],
      secretStores: [] as SecretStoreRenderer[],
    };
    env.registerExtensionPoint(openAmtScaffolderProvidersExtensionPoint, {
      addDatabase: (...renderers) => added.databases.push(...renderers),
      addGateway: (...renderers) => added.gateways.push(...renderers),
      addSecretStore: (...renderers) => added.secretStores.push(...renderers),
    });
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        scaffolderService: scaffolderServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        auditor,
        auth,
        scaffolderService,
        catalog,
      }) {
        const providers = createRenderProviders(added);
        scaffolder.addActions(
          createPreflightAction({
            scaffolder: scaffolderService,
            auth,
            catalog,
          }),
          createRenderDeploymentAction({ providers }),
          createDiffDeploymentAction({ catalog, auth, providers }),
          createProvisionSecretsAction({ config, auditor, providers }),
          createInitDatabaseAction({ config, auditor, providers }),
          createUpgradeDeploymentAction({
            catalog,
            auth,
            config,
            auditor,
            providers,
          }),
          createRotateSecretsAction({
            catalog,
            auth,
            config,
            auditor,
            providers,
          }),
        );
      },
    });
  },
});
