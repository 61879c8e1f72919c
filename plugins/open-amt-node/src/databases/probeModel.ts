import { toError } from '@backstage/errors';
import type { ToolkitRelease } from '@open-amt-backstage/plugin-open-amt-common';
import type {
  DatabaseCredentials,
  DatabaseTarget,
  ProbeContext,
  ProbeResult,
} from '../types';
import { HostNotAllowedError } from '../net/hostGuard';
import { routeThroughGuard, SocketRoute } from '../net/socketRoute';
import { withDeadline } from '../net/withDeadline';
import { releaseFor } from './schema/model';
import { SCHEMA_VERSION_TABLE } from './schema/version';

/** Why a database probe is not healthy; `details.reason` carries the main one, `details.issues` all. */
export type DatabaseProbeReason =
  | 'auth_failed'
  | 'access_denied'
  | 'missing_database'
  | 'missing_tables'
  | 'missing_citext'
  | 'read_only'
  | 'slow'
  | 'too_many_connections'
  | 'starting_up'
  | 'tls_error'
  | 'timeout'
  | 'cannot_connect'
  | 'host_not_allowed'
  | 'error';

export interface ClassifiedError {
  reason: DatabaseProbeReason;
  /** Driver code (SQLSTATE, errno name, mssql code) for operators; never a secret. */
  code?: string;
  /** The driver's message with the password scrubbed out. */
  detail: string;
}

export type Side = 'rps' | 'mps';

export interface TlsObservation {
  inUse: boolean;
  /** Certificate chain and host name checked (verify-full and the handshake succeeded). */
  verified: boolean;
  protocol?: string;
}

/** What one connection to one of the two databases learned. */
export interface SideObservation {
  side: Side;
  database: string;
  failure?: ClassifiedError;
  connectMs?: number;
  selectMs?: number;
  version?: string;
  /** Server or database refuses writes (replica, read_only, READ_ONLY updateability). */
  readOnly?: boolean;
  readOnlyDetail?: string;
  tablesPresent?: string[];
  /** PostgreSQL only: citext version, or null when the extension is absent. */
  citext?: string | null;
  tls?: TlsObservation;
  extra?: Record<string, unknown>;
}

export interface EngineProbe {
  engineLabel: string;
  /** Connects to `database`, runs the checks and always settles (failures go into `failure`). */
  observe(
    side: Side,
    database: string,
    budgetMs: number,
    signal: AbortSignal,
  ): Promise<SideObservation>;
  /** Maps any thrown value to a reason; used for errors outside observe (e.g. the deadline). */
  classify(error: unknown): ClassifiedError;
}

export class ProbeDeadlineError extends Error {
  readonly code = 'PROBE_DEADLINE';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Replaces every occurrence of the password in driver text; drivers should not echo it, this makes sure. */
export function scrub(text: string, password?: string): string {
  if (!password || password.length < 3) return text;
  return text.split(password).join('***');
}

/** Latency above which an answering database counts as degraded. */
export function slowThresholdMs(timeoutMs: number): number {
  return Math.min(1000, Math.max(1, Math.floor(timeoutMs / 2)));
}

const REASON_TEXT: Record<DatabaseProbeReason, string> = {
  auth_failed: 'authentication failed',
  access_denied: 'the user has no access to the database',
  missing_database: 'the database does not exist',
  missing_tables: 'tables are missing',
  missing_citext: 'the citext extension is missing',
  read_only: 'the server is read-only',
  slow: 'the server answers slowly',
  too_many_connections: 'the server refuses more connections',
  starting_up: 'the server is starting up or shutting down',
  tls_error: 'the TLS connection failed',
  timeout: 'no answer before the timeout',
  cannot_connect: 'the server cannot be reached',
  host_not_allowed: 'the host is not in openAmt.health.allowedHosts',
  error: 'the probe failed',
};

const FAILURE_PRIORITY: DatabaseProbeReason[] = [
  'host_not_allowed',
  'cannot_connect',
  'timeout',
  'tls_error',
  'starting_up',
  'too_many_connections',
  'auth_failed',
  'missing_database',
  'access_denied',
  'missing_tables',
  'error',
];

/**
 * Status rules:
 * - down      when either database cannot be used: unreachable, timeout, TLS, login, missing database, no
 *             access, too many connections, starting up — or the tables are missing on both sides;
 * - degraded  when both answer but the server is read-only, citext is missing, one side lacks tables, or
 *             SELECT 1 is slower than slowThresholdMs;
 * - healthy   otherwise.
 */
export function summarize(
  engineLabel: string,
  target: DatabaseTarget,
  sides: SideObservation[],
  timeoutMs: number,
): ProbeResult {
  const where = `${target.host}:${target.port}`;
  const bySide = Object.fromEntries(sides.map(s => [s.side, s])) as Record<
    Side,
    SideObservation
  >;
  const first = sides.find(s => !s.failure) ?? sides[0];
  // The tables of the deployment's release: a v2.26.0 database is not missing what v2.37.0 added.
  const release = releaseFor(target.toolkitRelease);
  const missingFor = (s: SideObservation) => missingForRelease(release, s);
  const databases = Object.fromEntries(
    sides.map(s => [
      s.side,
      {
        name: s.database,
        connected: !s.failure,
        ...(s.failure
          ? {
              error: s.failure.detail,
              code: s.failure.code,
              reason: s.failure.reason,
            }
          : {}),
        ...(s.tablesPresent
          ? {
              // The service's tables: the project's own version table is not one of them.
              tablesPresent: s.tablesPresent.filter(
                t => t.toLowerCase() !== SCHEMA_VERSION_TABLE,
              ).length,
              missingTables: missingFor(s),
            }
          : {}),
      },
    ]),
  );
  const latencyMs = min(sides.map(s => s.selectMs));
  const baseDetails: Record<string, unknown> = {
    engine: engineLabel,
    toolkitRelease: release.id,
    version: first.version,
    readOnly: first.readOnly,
    ...(first.readOnlyDetail ? { readOnlyDetail: first.readOnlyDetail } : {}),
    tls: first.tls,
    connectMs: first.connectMs,
    ...(first.extra ?? {}),
    ...(bySide.rps && bySide.rps.citext !== undefined
      ? { citext: bySide.rps.citext }
      : {}),
    databases,
  };

  const failures = sides.filter(s => s.failure);
  if (failures.length > 0) {
    const worst = [...failures].sort(
      (a, b) =>
        FAILURE_PRIORITY.indexOf(a.failure!.reason) -
        FAILURE_PRIORITY.indexOf(b.failure!.reason),
    )[0];
    const reason = worst.failure!.reason;
    const names = failures.map(f => `"${f.database}"`).join(' and ');
    return {
      status: 'down',
      latencyMs,
      message: `${engineLabel} at ${where} is not usable: ${
        REASON_TEXT[reason]
      } (${names}${worst.failure!.code ? `, ${worst.failure!.code}` : ''}).`,
      details: {
        ...baseDetails,
        reason,
        issues: [...new Set(failures.map(f => f.failure!.reason))],
      },
    };
  }

  const missing = sides
    .map(s => ({ s, missing: missingFor(s) }))
    .filter(x => x.missing.length > 0);
  const issues: DatabaseProbeReason[] = [];
  if (missing.length > 0) issues.push('missing_tables');
  if (sides.some(s => s.readOnly)) issues.push('read_only');
  if (bySide.rps?.citext === null) issues.push('missing_citext');
  if (latencyMs !== undefined && latencyMs > slowThresholdMs(timeoutMs))
    issues.push('slow');
  const missingTables = Object.fromEntries(
    missing.map(x => [x.s.side, x.missing]),
  );
  const details = {
    ...baseDetails,
    ...(missing.length ? { missingTables } : {}),
  };

  if (issues.length === 0) {
    return {
      status: 'healthy',
      latencyMs,
      message: `${engineLabel}${
        first.version ? ` ${first.version}` : ''
      } at ${where} answers in ${latencyMs ?? '?'} ms; "${
        bySide.rps?.database
      }" and "${bySide.mps?.database}" have every table.`,
      details,
    };
  }
  const bothMissing = missing.length === sides.length;
  const parts = issues.map(reason => {
    if (reason === 'missing_tables')
      return `missing tables ${missing
        .map(x => `in "${x.s.database}": ${x.missing.join(', ')}`)
        .join('; ')}`;
    if (reason === 'slow') return `slow (SELECT 1 took ${latencyMs} ms)`;
    return REASON_TEXT[reason];
  });
  return {
    status: bothMissing ? 'down' : 'degraded',
    latencyMs,
    message: `${engineLabel} at ${where} answers but ${parts.join(', and ')}.`,
    details: { ...details, reason: issues[0], issues },
  };
}

function missingForRelease(
  release: ToolkitRelease,
  s: SideObservation,
): string[] {
  if (!s.tablesPresent) return [];
  const expected = release.schema[s.side].tables.map(t => t.name);
  const have = new Set(s.tablesPresent.map(t => t.toLowerCase()));
  return expected.filter(t => !have.has(t));
}

function min(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

/**
 * The shared probe flow: the host is resolved once through the SSRF guard, then both databases are observed in
 * parallel under one deadline by an engine whose sockets go to the checked addresses only (`route`). Settles within
 * ctx.timeoutMs (plus a few ms of bookkeeping) whatever the drivers do: on expiry the engine's sockets are
 * torn down through the abort signal and the side is reported as timeout.
 */
export async function runDatabaseProbe(
  label: string,
  engineFor: (route: SocketRoute) => EngineProbe,
  target: DatabaseTarget,
  credentials: DatabaseCredentials,
  ctx: ProbeContext,
): Promise<ProbeResult> {
  const started = Date.now();
  let engine: EngineProbe;
  try {
    engine = engineFor(await routeThroughGuard(ctx.guard, target.host));
  } catch (error) {
    if (!(error instanceof HostNotAllowedError)) {
      // The name does not resolve: nothing to connect to, as a driver's own lookup would have found.
      const failure: ClassifiedError = {
        reason: 'cannot_connect',
        code: (error as { code?: string }).code,
        detail: scrub(toError(error).message, credentials.password),
      };
      return summarize(
        label,
        target,
        (['rps', 'mps'] as Side[]).map(side => ({
          side,
          database: side === 'rps' ? target.rpsDatabase : target.mpsDatabase,
          failure,
        })),
        ctx.timeoutMs,
      );
    }
    return {
      status: 'unknown',
      // The guard's one sentence names the host, the rule and what to do.
      message: `${label} at ${target.host}:${
        target.port
      } was not probed: ${scrub(
        toError(error).message,
        credentials.password,
      )}.`,
      details: {
        engine: label,
        reason: 'host_not_allowed',
        issues: ['host_not_allowed'],
        error: scrub(toError(error).message, credentials.password),
      },
    };
  }
  const remaining = Math.max(1, ctx.timeoutMs - (Date.now() - started));
  // One timer for both sides, and the sockets torn down only after both answers are in: withDeadline
  // would abort each side at its deadline, and the driver's teardown work would then
  // delay the other side's answer (mariadb.test.ts: 'is down (timeout) within ctx.timeoutMs when the
  // server accepts and never answers' measured ~850 ms instead of ~500 ms).
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>(resolve => {
    timer = setTimeout(() => resolve('deadline'), remaining);
  });
  const sides: Side[] = ['rps', 'mps'];
  const pending = sides.map(side => {
    const database = side === 'rps' ? target.rpsDatabase : target.mpsDatabase;
    return engine.observe(side, database, remaining, controller.signal).catch(
      (error): SideObservation => ({
        side,
        database,
        failure: engine.classify(error),
      }),
    );
  });
  const results = await Promise.all(
    pending.map((p, i) =>
      Promise.race([p, deadline]).then(r =>
        r === 'deadline'
          ? ({
              side: sides[i],
              database: i === 0 ? target.rpsDatabase : target.mpsDatabase,
              failure: {
                reason: 'timeout',
                detail: new ProbeDeadlineError(remaining).message,
              },
            } satisfies SideObservation)
          : r,
      ),
    ),
  );
  clearTimeout(timer);
  ctx.signal?.removeEventListener('abort', onOuterAbort);
  controller.abort(new ProbeDeadlineError(remaining)); // closes whatever is still open
  return summarize(engine.engineLabel, target, results, ctx.timeoutMs);
}

/** Runs `close` but never waits more than `ms` for it and never throws: cleanup must not hold a probe. */
export async function closeQuietly(
  close: () => Promise<unknown> | unknown,
  ms = 500,
): Promise<void> {
  await withDeadline(
    ms,
    async () => {
      try {
        await close();
      } catch {
        // closing a broken connection fails often; nothing to report
      }
    },
    () => undefined,
  );
}
