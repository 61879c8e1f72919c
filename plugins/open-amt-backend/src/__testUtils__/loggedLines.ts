import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

type LoggerMock = ReturnType<typeof mockServices.logger.mock>;
const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * Every line a mockServices.logger.mock() (and the child loggers made from it) was given, message and meta
 * with error stacks, in call order: for tests that assert on logged text or that nothing secret was logged.
 */
export function loggedLines(logger: LoggerService): string[] {
  return calls(logger as LoggerMock)
    .sort((a, b) => a.order - b.order)
    .map(c => c.line);
}

function calls(logger: LoggerMock): { order: number; line: string }[] {
  const out: { order: number; line: string }[] = [];
  for (const level of LEVELS) {
    const { calls: args, invocationCallOrder } = logger[level].mock;
    args.forEach(([message, meta], i) => {
      const rendered =
        meta instanceof Error
          ? `${meta.message} ${meta.stack}`
          : JSON.stringify(meta ?? {});
      out.push({
        order: invocationCallOrder[i],
        line: `${level} ${message} ${rendered}`,
      });
    });
  }
  for (const child of logger.child.mock.results) {
    if (child.type === 'return') out.push(...calls(child.value as LoggerMock));
  }
  return out;
}
