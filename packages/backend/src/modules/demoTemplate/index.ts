import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { DemoTemplateVariantProcessor } from './DemoTemplateVariantProcessor';

/**
 * Demo only (`openAmt.demo.templateVariant` in app-config.yaml): the catalog serves the adopters' template
 * (templates/open-amt-production) with the demo's publish step, open-amt:publish:local, in place of the
 * repository hosts, whose scaffolder modules this portal does not install.
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
        const variant = config.getOptionalConfig(
          'openAmt.demo.templateVariant',
        );
        if (!variant) return;
        // Relative to the backend's working directory, as the catalog's file locations are.
        catalog.addProcessor(
          new DemoTemplateVariantProcessor({
            template: path.resolve(variant.getString('template')),
            overlay: path.resolve(variant.getString('overlay')),
          }),
        );
      },
    });
  },
});
