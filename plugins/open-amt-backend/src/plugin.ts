import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  openAmtPermissions,
  providerRegistryAnswerOf,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  AnyDatabaseAdapter,
  AnyGatewayAdapter,
  AnySecretStoreAdapter,
  createProviderRegistries,
  openAmtProvidersExtensionPoint,
  providerRegistryEntries,
} from '@open-amt-backstage/plugin-open-amt-node';
import { readHealthConfig } from './config';
import { registerDeploymentActions } from './actions/registerDeploymentActions';
import { createRouter } from './router';
import { DeploymentAccess } from './services/DeploymentAccess/DeploymentAccess';
import { DeploymentRefresher } from './services/DeploymentRefresher/DeploymentRefresher';
import {
  createHealthServices,
  defaultProbeAdapters,
  scheduleHealthTasks,
} from './services/createHealthServices';

/**
 * The Open AMT health engine: probes every component of every deployment in the catalog, keeps the
 * history, and serves it under /api/open-amt.
 *
 * Signals and notifications have default service factories, so the plugin also runs in a backend
 * without the signals or notifications plugins (delivery failures are logged, not thrown).
 *
 * Backend modules add secrets stores, gateways and databases of their own through openAmtProvidersExtensionPoint
 * (open-amt-node); an added id that a built-in (or another module) has already stops the backend at startup.
 */
export const openAmtPlugin = createBackendPlugin({
  pluginId: 'open-amt',
  register(env) {
    const added: {
      secretStores: AnySecretStoreAdapter[];
      gateways: AnyGatewayAdapter[];
      databases: AnyDatabaseAdapter[];
    } = {
      secretStores: [],
      gateways: [],
      databases: [],
    };
    env.registerExtensionPoint(openAmtProvidersExtensionPoint, {
      addSecretStore(...adapters) {
        added.secretStores.push(...adapters);
      },
      addGateway(...adapters) {
        added.gateways.push(...adapters);
      },
      addDatabase(...adapters) {
        added.databases.push(...adapters);
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        actionsRegistry: actionsRegistryServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        // Built-ins plus what modules added (they initialise before the plugin); a clashing id throws here.
        const adapters = {
          ...defaultProbeAdapters,
          ...createProviderRegistries(added),
        };
        const config = readHealthConfig(deps.config, adapters.secretStores);
        deps.permissionsRegistry.addPermissions(openAmtPermissions);
        const services = await createHealthServices({
          ...deps,
          config,
          adapters,
        });
        await scheduleHealthTasks({
          scheduler: deps.scheduler,
          logger: deps.logger,
          config,
          ...services,
        });

        // Who may see and do what: resource permissions on the deployment's System, decided per caller.
        const access = new DeploymentAccess(deps.permissions);
        const refresher = new DeploymentRefresher({
          access,
          engine: services.engine,
          limiter: services.refreshLimiter,
          auditor: deps.auditor,
        });
        registerDeploymentActions({
          actionsRegistry: deps.actionsRegistry,
          access,
          refresher,
          store: services.store,
        });

        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          await createRouter({
            logger: deps.logger,
            httpAuth: deps.httpAuth,
            access,
            refresher,
            store: services.store,
            engine: services.engine,
            providers: providerRegistryAnswerOf(providerRegistryEntries(added)),
          }),
        );
      },
    });
  },
});
