import type { ClassifiedError, DatabaseProbeReason } from './probeModel';

/**
 * The administrator login failed before anything was changed. `reason` is the probe's classification, so callers
 * explain it the way the health card does; `message` is the driver's text with the password scrubbed out.
 */
export class DatabaseLoginError extends Error {
  readonly name = 'DatabaseLoginError';
  readonly reason: DatabaseProbeReason;
  readonly code?: string;
  constructor(classified: ClassifiedError) {
    super(classified.detail);
    this.reason = classified.reason;
    this.code = classified.code;
  }
}

/** Opens one admin connection with `connect` and closes it; a failure becomes a DatabaseLoginError. */
export async function checkLogin(
  connect: () => Promise<{ close(): Promise<unknown> }>,
  classify: (error: unknown) => ClassifiedError,
): Promise<void> {
  let connection: { close(): Promise<unknown> };
  try {
    connection = await connect();
  } catch (error) {
    throw new DatabaseLoginError(classify(error));
  }
  await connection.close().catch(() => undefined);
}
