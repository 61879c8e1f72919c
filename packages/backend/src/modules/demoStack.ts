/**
 * Demo mode of the portal (`openAmt.demo.standInStack: true` in app-config.yaml, never in production
 * config): starts the stand-in stack (src/demo) before the health engine's first sweep, so `npm start`
 * shows the example deployment (examples/demo-deployment) with live health. Its endpoints are simulated
 * contract servers; its database is the real local PostgreSQL.
 */
import { toError } from '@backstage/errors';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';

export const demoStackModule = createBackendModule({
  pluginId: 'open-amt',
  moduleId: 'demo-stand-in-stack',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        if (!config.getOptionalBoolean('openAmt.demo.standInStack')) return;
        // Loaded only in demo mode: the stand-ins are test servers, not something a production backend runs.
        // (Node's import() of the transpiled CommonJS file may only expose it as `default`.)
        const loaded: typeof import('../demo') & {
          default?: typeof import('../demo');
        } = await import('../demo');
        const { describeDemoStack, startDemoStack } = loaded.default ?? loaded;
        try {
          const running = await startDemoStack({ logger });
          if (!running) {
            logger.info(
              'A stand-in stack already runs (npm run demo:stack?); the portal uses it.',
            );
            return;
          }
          describeDemoStack(logger);
          lifecycle.addShutdownHook(() => running.close());
        } catch (error) {
          // The portal still works without it; the example deployment then shows its endpoints as down.
          logger.warn(
            `Demo stand-in stack not started: ${toError(error).message}`,
          );
        }
      },
    });
  },
});

export default demoStackModule;
