import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { DemoTemplateVariantProcessor } from './DemoTemplateVariantProcessor';

/**
 * Demo only (`openAmt.demo.templateVariants` in app-config.yaml): the catalog serves the adopters' templates
 * (templates/open-amt-production, templates/open-amt-upgrade) with the demo's publish step, open-amt:publish:local,
 * in place of the repository hosts, whose scaffolder modules this portal does not install.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'open-amt-demo-template-variant',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        const variants =
          config.getOptionalConfigArray('openAmt.demo.templateVariants') ?? [];
        if (variants.length === 0) return;
        // Relative to the backend's working directory, as the catalog's file locations are.
        catalog.addProcessor(
          new DemoTemplateVariantProcessor(
            variants.map(variant => ({
              template: path.resolve(variant.getString('template')),
              overlay: path.resolve(variant.getString('overlay')),
            })),
          ),
        );
      },
    });
  },
});
