import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { OpenAmtExamplePolicy } from './OpenAmtExamplePolicy';

const POLICIES = ['allow-all', 'open-amt-example'] as const;
type PolicyName = (typeof POLICIES)[number];

/**
 * The demo portal's permission policy, chosen by `openAmt.demo.permissionPolicy`: `allow-all` (default, local
 * use) or `open-amt-example` (OpenAmtExamplePolicy, with `openAmt.demo.platformTeam` as the team that reads
 * every deployment). Production portals install their own policy module instead.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'open-amt-demo-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const name = (config.getOptionalString(
          'openAmt.demo.permissionPolicy',
        ) ?? 'allow-all') as PolicyName;
        switch (name) {
          case 'allow-all':
            policy.setPolicy({
              handle: async () => ({ result: AuthorizeResult.ALLOW }),
            });
            return;
          case 'open-amt-example':
            policy.setPolicy(
              new OpenAmtExamplePolicy({
                platformTeam:
                  config.getOptionalString('openAmt.demo.platformTeam') ??
                  'group:default/platform-team',
              }),
            );
            return;
          default: {
            const unknown: never = name;
            throw new Error(
              `openAmt.demo.permissionPolicy must be one of ${POLICIES.join(
                ', ',
              )}, got "${unknown}"`,
            );
          }
        }
      },
    });
  },
});
