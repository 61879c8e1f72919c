import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SidebarContent } from './nav/Sidebar';
import { guestSignInPage } from './signIn/SignInPage';

/** The portal's own parts of the app plugin: the sidebar and the guest sign-in. */
export const appModule = createFrontendModule({
  pluginId: 'app',
  extensions: [SidebarContent, guestSignInPage],
});
