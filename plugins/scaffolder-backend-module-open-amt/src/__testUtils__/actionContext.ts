/**
 * Helpers around createMockActionContext: a logger that records every line (for secret-hygiene checks),
 * outputs collected into an object, and a checkpoint store that persists across attempts the way the
 * scaffolder's task state does, so "fail in the middle, then retry" can be exercised.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

export interface RecordingLogger {
  lines: string[];
  logger: any;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  const logger: any = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return { lines, logger };
}

/** Checkpoint results by key, kept between attempts like TaskState. */
export class CheckpointStore {
  readonly results = new Map<string, unknown>();
  checkpoint = async (opts: { key: string; fn: () => Promise<any> | any }) => {
    if (this.results.has(opts.key)) return this.results.get(opts.key);
    const value = await opts.fn();
    this.results.set(opts.key, JSON.parse(JSON.stringify(value ?? null)));
    return value;
  };
}

/** Named so the declaration does not reach into the test utils' nested copy of plugin-scaffolder-node. */
export interface TestActionContext {
  ctx: ReturnType<typeof createMockActionContext>;
  outputs: Record<string, unknown>;
  logLines: string[];
}

export function actionContext(options: {
  input: Record<string, unknown>;
  secrets?: Record<string, string>;
  isDryRun?: boolean;
  checkpoints?: CheckpointStore;
  workspacePath?: string;
}): TestActionContext {
  const log = recordingLogger();
  const outputs: Record<string, unknown> = {};
  const ctx = createMockActionContext({
    input: options.input as any,
    secrets: options.secrets,
    logger: log.logger,
    workspacePath: options.workspacePath ?? createMockDirectory().path,
  });
  ctx.output = ((name: string, value: unknown) => {
    outputs[name] = value;
  }) as any;
  if (options.isDryRun) ctx.isDryRun = true;
  if (options.checkpoints)
    ctx.checkpoint = options.checkpoints.checkpoint as any;
  return { ctx, outputs, logLines: log.lines };
}
