import {
  ProxiedSignInPage,
  SignInPage as CoreSignInPage,
} from '@backstage/core-components';
import {
  SignInPageBlueprint,
  SignInPageProps,
} from '@backstage/plugin-app-react';

/**
 * The demo signs in as the guest (auth.providers.guest in app-config.yaml) without a click: the guest
 * provider hands out a session on refresh, as a proxy provider does. Should that fail, the usual guest
 * "Enter" card shows, with the backend's error when clicked.
 */
function GuestAutoSignInPage(props: SignInPageProps) {
  return (
    <ProxiedSignInPage
      {...props}
      provider="guest"
      ErrorComponent={() => <CoreSignInPage {...props} providers={['guest']} />}
    />
  );
}

export const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => GuestAutoSignInPage,
  },
});
