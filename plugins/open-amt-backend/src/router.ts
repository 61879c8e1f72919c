import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  computeDeploymentDrift,
  DeploymentHealth,
  FLEET_ATTENTION_FILTERS,
  FLEET_DRIFT_FILTERS,
  FLEET_SORT_FIELDS,
  FleetQuery,
  HEALTH_STATUSES,
  openAmtDeploymentReadPermission,
  ProviderRegistryAnswer,
  RefreshResult,
} from '@open-amt-backstage/plugin-open-amt-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  DeploymentAccess,
  notADeployment,
} from './services/DeploymentAccess/DeploymentAccess';
import { DeploymentRefresher } from './services/DeploymentRefresher/DeploymentRefresher';
import { HealthEngine } from './services/HealthEngine/HealthEngine';
import type { HealthStore } from './services/HealthStore/HealthStore';
import type { SerializedAnswer } from './services/HealthStore/fleetSnapshot';

/** Longest history range one request may ask for. */
const MAX_HISTORY_DAYS = 90;

/** `?status=down,degraded` and `?status=down&status=degraded` both mean the list. */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess(v => {
    if (v === undefined || v === '') return undefined;
    const values = (Array.isArray(v) ? v : [v])
      .flatMap(x => String(x).split(','))
      .map(x => x.trim())
      .filter(Boolean);
    return values.length ? values : undefined;
  }, z.array(item).max(50).optional());

const fleetQuerySchema = z.object({
  status: list(z.enum(HEALTH_STATUSES)),
  provider: list(z.string().max(64)),
  owner: list(z.string().max(255)),
  target: list(z.string().max(64)),
  drift: list(z.enum(FLEET_DRIFT_FILTERS)),
  attention: list(z.enum(FLEET_ATTENTION_FILTERS)),
  q: z.string().max(200).optional(),
  sort: z.enum(FLEET_SORT_FIELDS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});

/** The catalog's own rules for names and namespaces: `.`, `..` and anything else it would refuse never reach it. */
const catalogNames = makeValidator();
const entityParamsSchema = z.object({
  namespace: z
    .string()
    .refine(
      v => catalogNames.isValidNamespace(v),
      'must be a catalog namespace',
    ),
  name: z
    .string()
    .refine(
      v => catalogNames.isValidEntityName(v),
      'must be a catalog entity name',
    ),
});

/** ISO 8601 calendar date, or date-time with an optional zone (what Date.parse alone would not enforce). */
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const isoDate = z
  .string()
  .refine(
    v => ISO_8601.test(v) && !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 date or date-time, e.g. 2026-03-07T12:00:00Z',
  )
  .transform(v => new Date(v));
const historyQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
});

function parse<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.') || what;
    throw new InputError(`Invalid ${what} ${field}: ${issue.message}`);
  }
  return result.data;
}

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: DeploymentAccess;
  refresher: DeploymentRefresher;
  store: HealthStore;
  engine: HealthEngine;
  /** The providers the backend knows (built-ins and those modules added), for GET /providers. */
  providers: ProviderRegistryAnswer;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, access, refresher, store, engine, providers } = options;
  const router = Router();

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  /** Read access to one deployment, per entity (404 when the caller may not read its System in the catalog). */
  const authorizeRead = async (req: Request, entityRef: string) =>
    access.assertAllowed(
      await credentialsOf(req),
      entityRef,
      openAmtDeploymentReadPermission,
    );

  // Valid refs seen recently: the hot path (the card polling its deployment) skips re-validating them.
  const validRefs = new Map<string, string>();
  const entityRefOf = (req: Request) => {
    const key = `${req.params.namespace}/${req.params.name}`;
    const known = validRefs.get(key);
    if (known) return known;
    const { namespace, name } = parse(
      entityParamsSchema,
      req.params,
      'path parameter',
    );
    const ref = stringifyEntityRef({ kind: 'system', namespace, name });
    if (validRefs.size >= 10_000) validRefs.clear();
    validRefs.set(key, ref);
    return ref;
  };

  // Fleet pages are asked with a handful of query strings over and over: each is validated once.
  const fleetQueries = new Map<string, FleetQuery>();
  const fleetQueryOf = (req: Request): FleetQuery => {
    const raw = req.originalUrl.slice(
      req.originalUrl.indexOf('?') + 1 || req.originalUrl.length,
    );
    const known = fleetQueries.get(raw);
    if (known) return known;
    const query: FleetQuery = parse(
      fleetQuerySchema,
      req.query,
      'query parameter',
    );
    if (fleetQueries.size >= 1000) fleetQueries.clear();
    fleetQueries.set(raw, query);
    return query;
  };

  /**
   * Sends JSON serialized once per change, with its ETag (answering 304 to a matching If-None-Match), so
   * a request costs no serialization and no hashing.
   */
  const sendAnswer = (
    req: Request,
    res: express.Response,
    answer: SerializedAnswer,
  ) => {
    // setHeader rather than raw writeHead pairs (20 µs cheaper): the access log reads the headers back.
    res.setHeader('ETag', answer.etag);
    if (req.headers['if-none-match'] === answer.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', answer.contentLength);
    res.statusCode = 200;
    res.end(answer.body);
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Labels, levels and limitations only (no secrets, nothing per deployment): any signed-in user or service reads them.
  router.get('/providers', async (req, res) => {
    await credentialsOf(req);
    res.json(providers);
  });

  router.get('/deployments', async (req, res) => {
    const query = fleetQueryOf(req);
    // Decided before filtering and paging: counts, totals and pages only describe what the caller may see.
    const visibility = await access.visibleDeployments(
      await credentialsOf(req),
      () => store.listEntityRefs(),
    );
    const visible =
      visibility.type === 'all' ? undefined : visibility.entityRefs;
    sendAnswer(req, res, await store.listFleetAnswer(query, visible));
  });

  router.get('/deployments/:namespace/:name', async (req, res) => {
    const entityRef = entityRefOf(req);
    await authorizeRead(req, entityRef);
    const answer = await store.getDeploymentAnswer(entityRef);
    if (answer) {
      sendAnswer(req, res, answer);
      return;
    }
    // In the catalog but not swept yet: known, with nothing probed.
    const target = await engine.findTarget(entityRef);
    if (!target) throw notADeployment(entityRef);
    const pending: DeploymentHealth = {
      entityRef,
      name: target.name,
      title: target.title,
      owner: target.owner,
      target: target.target,
      simulated: target.simulated,
      status: 'unknown',
      components: [],
      drift: computeDeploymentDrift({
        annotatedRelease: target.annotatedToolkitRelease,
        components: [],
      }),
    };
    res.json(pending);
  });

  router.get('/deployments/:namespace/:name/history', async (req, res) => {
    const entityRef = entityRefOf(req);
    const query = parse(historyQuerySchema, req.query, 'query parameter');
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(to.getTime() - 24 * 3600_000);
    if (from.getTime() >= to.getTime())
      throw new InputError('Invalid query parameter from: must be before to');
    if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * 86400_000) {
      throw new InputError(
        `Invalid query parameter from: the range may span at most ${MAX_HISTORY_DAYS} days`,
      );
    }
    await authorizeRead(req, entityRef);
    const history = await store.getHistory(entityRef, from, to);
    if (!history) throw notADeployment(entityRef);
    res.json(history);
  });

  router.post(
    '/deployments/:namespace/:name/refresh',
    express.json(),
    async (req, res) => {
      const entityRef = entityRefOf(req);
      const outcome = await refresher.refresh(
        entityRef,
        await credentialsOf(req),
        { type: 'rest', request: req },
      );
      switch (outcome.type) {
        case 'rate-limited': {
          const { retryAfterSeconds } = outcome;
          res
            .status(429)
            .set('Retry-After', String(retryAfterSeconds))
            .json({
              accepted: false,
              retryAfterSeconds,
              error: {
                name: 'TooManyRequestsError',
                message: `${entityRef} was refreshed recently; try again in ${retryAfterSeconds} s`,
              },
              request: { method: req.method, url: req.originalUrl },
              response: { statusCode: 429 },
            });
          return;
        }
        case 'refreshed': {
          const result: RefreshResult = {
            accepted: true,
            health: outcome.health,
          };
          res.json(result);
          return;
        }
        default: {
          const unknownOutcome: never = outcome;
          throw new Error(
            `Unknown refresh outcome ${JSON.stringify(unknownOutcome)}`,
          );
        }
      }
    },
  );

  return router;
}
