import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalAction } from './publishLocal';

/**
 * The demo portal's publish step: adds `open-amt:publish:local` (copy into `openAmt.scaffolder.localPublishDir`,
 * which the demo catalog reads) to the scaffolder. Demo only: production portals publish the rendered
 * deployment to a repository with Backstage's publish actions (publish:github, …), the template's own choices;
 * the demo's template variant (../demoTemplate) offers this action instead.
 */
export default createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'open-amt-demo-publish-local',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, config, catalog, auth, auditor }) {
        scaffolder.addActions(
          createPublishLocalAction({ config, catalog, auth, auditor }),
        );
      },
    });
  },
});
