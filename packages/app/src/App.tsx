import { createApp } from '@backstage/frontend-defaults';
import { appModule } from './modules/appModule';

/**
 * The demo portal on the new frontend system. The plugins (catalog, scaffolder, TechDocs, Open AMT, …) are
 * discovered from this package's dependencies (`app.packages: all` in app-config.yaml).
 */
export function createPortalApp() {
  return createApp({ features: [appModule] });
}

export default createPortalApp();
