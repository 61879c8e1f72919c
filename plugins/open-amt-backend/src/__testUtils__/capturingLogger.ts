import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line (message and meta) so tests can assert nothing secret was logged. */
export function capturingLogger(lines: string[] = []): LoggerService & { lines: string[] } {
  const write = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message} ${meta instanceof Error ? `${meta.message} ${meta.stack}` : JSON.stringify(meta ?? {})}`);
  };
  const logger: LoggerService & { lines: string[] } = {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}
