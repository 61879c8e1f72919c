/**
 * The demo stand-in stack with its control API: `npm run demo:stack` (main.ts) and the portal backend in
 * demo mode (modules/demoStack.ts) both start it through here.
 */
import { toError } from '@backstage/errors';
import {
  ControlServer,
  standInStackAnswers,
  startControlServer,
} from './controlServer';
import { DEMO_HOST, DEMO_PORTS, demoAddress, demoUrl } from './ports';
import {
  DemoLogger,
  StandInStack,
  StandInStackOptions,
  startStandInStack,
} from './standInStack';

export {
  DEMO_PORTS,
  DEMO_VAULT_TOKEN,
  DEMO_DEPLOYMENT,
  demoUrl,
  demoAddress,
} from './ports';
export type { DemoLogger, StandInStack } from './standInStack';

export interface RunningDemoStack {
  stack: StandInStack;
  control: ControlServer;
  close(): Promise<void>;
}

/**
 * Starts the stack and its control API; undefined when another process already serves a stand-in stack
 * on these ports (e.g. `npm run demo:stack` in another terminal): the caller then uses that one.
 */
export async function startDemoStack(
  options: StandInStackOptions & { controlPort?: number },
): Promise<RunningDemoStack | undefined> {
  const controlPort = options.controlPort ?? DEMO_PORTS.control;
  if (
    controlPort &&
    (await standInStackAnswers(
      `http://${options.host ?? DEMO_HOST}:${controlPort}`,
    ))
  )
    return undefined;
  const stack = await startStandInStack(options);
  let control: ControlServer;
  try {
    control = await startControlServer(stack, controlPort, options.host);
  } catch (error) {
    await stack.close();
    throw new Error(
      `Port ${controlPort} (control API) is taken: ${toError(error).message}`,
    );
  }
  return {
    stack,
    control,
    async close() {
      await control.close();
      await stack.close();
    },
  };
}

export function describeDemoStack(logger: DemoLogger) {
  const { control, ...components } = DEMO_PORTS;
  logger.info(
    `Stand-in stack (simulated): ${Object.keys(components)
      .map(
        c =>
          `${c} ${
            c === 'cira'
              ? `${demoAddress(c)} (TLS)`
              : demoUrl(c as keyof typeof components)
          }`,
      )
      .join(', ')}; control API ${demoUrl(
      'control',
    )}/control (port ${control})`,
  );
}
