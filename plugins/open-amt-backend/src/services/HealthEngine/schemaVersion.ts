import { DRIFT_DETAILS } from '@open-amt-backstage/plugin-open-amt-common';
import { withDeadline } from '@open-amt-backstage/plugin-open-amt-node';
import type {
  AnyDatabaseAdapter,
  DatabaseCredentials,
  DatabaseTarget,
  ProbeContext,
  ProbeResult,
  SchemaVersionFinding,
} from '@open-amt-backstage/plugin-open-amt-node';

/**
 * The schema version changes only when someone migrates: kept between sweeps like other rare facts, under the release
 * the System is annotated with, so an upgrade (which migrates, then changes the annotation) is read at the next sweep.
 */
const schemaFact = (release: string | undefined) =>
  `schemaVersion@${release ?? ''}`;
/** Below this much budget left, the version is not asked (the probe's own answer must not be cut off). */
const MIN_BUDGET_MS = 50;

type Findings = Record<'rps' | 'mps', SchemaVersionFinding>;

const notCheckable = (result: ProbeResult, why: string): ProbeResult => ({
  ...result,
  details: {
    ...result.details,
    [DRIFT_DETAILS.schemaVersionNotCheckable]: why,
  },
});

/**
 * Adds the schema version found in the deployment's databases to the database probe's result: the adapter's
 * detectSchemaVersion (reads only), with the probe's own credentials, in what is left of the probe's budget. A database
 * the probe could not use is not asked (its result already says why); an adapter without detectSchemaVersion, a
 * refused host, an error or the deadline leave `schemaVersionNotCheckable` with the reason.
 */
export async function withSchemaVersion(
  result: ProbeResult,
  adapter: AnyDatabaseAdapter,
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  ctx: ProbeContext,
  budgetEndsAt: number,
  annotatedRelease?: string,
): Promise<ProbeResult> {
  const fact = schemaFact(annotatedRelease);
  if (!adapter.detectSchemaVersion)
    return notCheckable(
      result,
      `The ${adapter.provider} adapter cannot read the schema version (it has no detectSchemaVersion).`,
    );
  if (result.status === 'down' || result.status === 'unknown') return result;
  const known = ctx.memory?.recall<Findings>(fact);
  if (known) return withFindings(result, known);
  const left = budgetEndsAt - Date.now();
  if (left < MIN_BUDGET_MS)
    return notCheckable(
      result,
      'The schema version was not read: the probe had used its time budget.',
    );
  try {
    // detectSchemaVersion connects by host name itself: the guard is asked again, as for the probe's own connection.
    await ctx.guard.assertAllowed(target.host);
    const found = await withDeadline<Findings | 'timeout'>(
      left,
      () => adapter.detectSchemaVersion!(target, credentials),
      () => 'timeout',
      ctx.signal,
    );
    if (found === 'timeout')
      return notCheckable(
        result,
        `The schema version was not read within the probe's budget (${Math.round(
          left,
        )} ms left).`,
      );
    ctx.memory?.remember(fact, found);
    return withFindings(result, found);
  } catch (error) {
    ctx.memory?.forget(fact);
    const message = error instanceof Error ? error.message : String(error);
    return notCheckable(
      result,
      `Reading the schema version failed: ${scrub(
        message,
        credentials.password,
      )}`,
    );
  }
}

function withFindings(result: ProbeResult, found: Findings): ProbeResult {
  return {
    ...result,
    details: { ...result.details, [DRIFT_DETAILS.schemaVersion]: found },
  };
}

/** Drivers should not echo the password; this makes sure. */
function scrub(text: string, password: string): string {
  return password.length < 3 ? text : text.split(password).join('***');
}
