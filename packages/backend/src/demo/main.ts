/*
 * `npm run demo:stack`: runs the demo stand-in stack in the foreground until Ctrl-C. The portal backend
 * starts the same stack itself when `openAmt.demo.standInStack` is true (app-config.yaml); when this
 * command already runs, the backend uses it instead of starting a second one.
 */
import { describeDemoStack, startDemoStack } from './index';

const logger = {
  info: (m: string) => console.log(`[demo-stack] ${m}`),
  warn: (m: string) => console.warn(`[demo-stack] ${m}`),
};

async function main() {
  const running = await startDemoStack({ logger });
  if (!running) {
    logger.warn(
      'A stand-in stack already answers on its control port; nothing started.',
    );
    process.exit(1);
  }
  describeDemoStack(logger);
  logger.info(
    'Try: curl -X POST http://127.0.0.1:7300/control/vault/seal  (and /unseal). Ctrl-C stops.',
  );
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  logger.warn(String((error as Error)?.message ?? error));
  process.exit(1);
});
