import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  FLEET_ATTENTION_FILTERS,
  FLEET_DRIFT_FILTERS,
  FLEET_SORT_FIELDS,
  HEALTH_STATUSES,
  openAmtDeploymentReadPermission,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { DeploymentAccess } from '../services/DeploymentAccess/DeploymentAccess';
import { notADeployment } from '../services/DeploymentAccess/DeploymentAccess';
import type { DeploymentRefresher } from '../services/DeploymentRefresher/DeploymentRefresher';
import type { HealthStore } from '../services/HealthStore/HealthStore';
import { deploymentRefInput } from './deploymentRefInput';
import { summarizeHistory } from './historySummary';

const MAX_HISTORY_HOURS = 90 * 24;

/**
 * The deployment actions in the backend actions registry (served to assistants by the MCP actions backend).
 * Each authorizes with the caller's credentials exactly as the REST API does: the fleet is filtered before
 * paging, one deployment needs catalog read and open-amt.deployment.read on its System, refresh needs
 * open-amt.deployment.refresh, is rate-limited per deployment and audited.
 */
export function registerDeploymentActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: DeploymentAccess;
  refresher: DeploymentRefresher;
  store: HealthStore;
}) {
  const { actionsRegistry, access, refresher, store } = options;

  actionsRegistry.register({
    name: 'list-deployments',
    title: 'List Open AMT deployments',
    description:
      'Lists the Open AMT deployments the caller may see, with their health status, owner, target, release, ' +
      'connected devices and soonest certificate expiry. Filters and paging are those of the fleet page ' +
      '(GET /api/open-amt/deployments).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          status: z
            .array(z.enum(HEALTH_STATUSES))
            .max(50)
            .optional()
            .describe('Only deployments in these states'),
          provider: z
            .array(z.string().max(64))
            .max(50)
            .optional()
            .describe('Database, secrets or gateway provider ids'),
          owner: z
            .array(z.string().max(255))
            .max(50)
            .optional()
            .describe('Owner entity refs, e.g. group:default/team-a'),
          target: z
            .array(z.string().max(64))
            .max(50)
            .optional()
            .describe('compose or kubernetes'),
          q: z
            .string()
            .max(200)
            .optional()
            .describe('Substring of the name or title'),
          drift: z
            .array(z.enum(FLEET_DRIFT_FILTERS))
            .max(FLEET_DRIFT_FILTERS.length)
            .optional()
            .describe(
              'behind: older than the newest release; drifted: versions, schema or routes differ from the release',
            ),
          attention: z
            .array(z.enum(FLEET_ATTENTION_FILTERS))
            .max(FLEET_ATTENTION_FILTERS.length)
            .optional()
            .describe(
              'certificates-expiring: a certificate expires within 30 days or has expired; devices-dropped: a device-drop alert is active',
            ),
          sort: z.enum(FLEET_SORT_FIELDS).optional(),
          order: z.enum(['asc', 'desc']).optional(),
          page: z
            .number()
            .int()
            .min(1)
            .max(100_000)
            .optional()
            .describe('1-based page number'),
          pageSize: z.number().int().min(1).max(500).optional(),
        }),
      output: z =>
        z.object({
          items: z
            .array(
              z.object({
                entityRef: z.string(),
                name: z.string(),
                title: z.string().optional(),
                owner: z.string().optional(),
                target: z.string().optional(),
                status: z.enum(HEALTH_STATUSES),
                checkedAt: z.string().optional(),
                release: z.string().describe('The release it was rendered for'),
                behind: z.boolean().describe('Older than the newest release'),
                devices: z
                  .object({
                    connected: z.number(),
                    total: z.number(),
                    dropped: z.boolean(),
                  })
                  .optional()
                  .describe(
                    'What MPS counts; absent when it could not be asked',
                  ),
                certificates: z
                  .object({
                    soonestDaysLeft: z.number(),
                    expiring: z.boolean(),
                  })
                  .optional()
                  .describe(
                    'The first certificate to expire; absent when none was read',
                  ),
              }),
            )
            .describe('The deployments on this page'),
          totalCount: z.number(),
          counts: z
            .record(z.number())
            .describe('Deployments per status over the whole filtered fleet'),
          driftCounts: z
            .record(z.number())
            .describe(
              'Deployments per drift filter (every other filter applied)',
            ),
          attentionCounts: z
            .record(z.number())
            .describe(
              'Deployments per attention filter (every other filter applied)',
            ),
          page: z.number(),
          pageSize: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const visibility = await access.visibleDeployments(credentials, () =>
        store.listEntityRefs(),
      );
      const page = await store.listFleet(
        input,
        visibility.type === 'all' ? undefined : visibility.entityRefs,
      );
      return {
        output: {
          ...page,
          // The fleet row with its drift as release/behind; providers, component counts and the simulated flag stay the page's.
          items: page.items.map(
            ({ drift, providers, componentCounts, simulated, ...row }) => ({
              ...row,
              release: drift.release,
              behind: drift.behind,
            }),
          ),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-deployment-health',
    title: 'Get an Open AMT deployment health',
    description:
      "One deployment's latest health: overall status and every component (MPS, RPS, database, secrets store, " +
      'gateway, …) with its status, latency and message.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .max(300)
            .describe(
              'The deployment System, e.g. system:default/my-deployment',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          name: z.string(),
          status: z.enum(HEALTH_STATUSES),
          checkedAt: z.string().optional(),
          components: z.array(
            z.object({
              component: z.string(),
              provider: z.string(),
              status: z.enum(HEALTH_STATUSES),
              latencyMs: z.number().optional(),
              checkedAt: z.string(),
              message: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = deploymentRefInput(input.entityRef);
      await access.assertAllowed(
        credentials,
        entityRef,
        openAmtDeploymentReadPermission,
      );
      const health = await store.getDeployment(entityRef);
      if (!health) throw notADeployment(entityRef);
      return {
        output: {
          entityRef: health.entityRef,
          name: health.name,
          status: health.status,
          checkedAt: health.checkedAt,
          components: health.components.map(c => ({
            component: c.component,
            provider: c.provider,
            status: c.status,
            latencyMs: c.latencyMs,
            checkedAt: c.checkedAt,
            message: c.message,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-deployment-history',
    title: 'Summarize an Open AMT deployment history',
    description:
      "A deployment's history over the last hours: uptime per component and its most recent state changes.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .max(300)
            .describe(
              'The deployment System, e.g. system:default/my-deployment',
            ),
          hours: z
            .number()
            .int()
            .min(1)
            .max(MAX_HISTORY_HOURS)
            .optional()
            .describe('How far back (default 24)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          from: z.string(),
          to: z.string(),
          components: z.array(
            z.object({
              component: z.string(),
              uptime: z.number(),
              samples: z.number(),
            }),
          ),
          transitionCount: z.number(),
          recentTransitions: z.array(
            z.object({
              component: z.string(),
              from: z.string().nullable(),
              to: z.string(),
              at: z.string(),
              message: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = deploymentRefInput(input.entityRef);
      await access.assertAllowed(
        credentials,
        entityRef,
        openAmtDeploymentReadPermission,
      );
      const to = new Date();
      const from = new Date(to.getTime() - (input.hours ?? 24) * 3600_000);
      const history = await store.getHistory(entityRef, from, to);
      if (!history) throw notADeployment(entityRef);
      return { output: summarizeHistory(history) };
    },
  });

  actionsRegistry.register({
    name: 'refresh-deployment',
    title: 'Check an Open AMT deployment now',
    description:
      'Probes every component of one deployment now and returns its new health. Rate-limited per deployment: ' +
      'when it was checked recently the answer says how many seconds to wait.',
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .max(300)
            .describe(
              'The deployment System, e.g. system:default/my-deployment',
            ),
        }),
      output: z =>
        z.object({
          accepted: z.boolean(),
          retryAfterSeconds: z
            .number()
            .optional()
            .describe('When not accepted: seconds until a refresh is allowed'),
          status: z.enum(HEALTH_STATUSES).optional(),
          components: z
            .array(
              z.object({
                component: z.string(),
                status: z.enum(HEALTH_STATUSES),
                message: z.string(),
              }),
            )
            .optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = deploymentRefInput(input.entityRef);
      const outcome = await refresher.refresh(entityRef, credentials, {
        type: 'action',
      });
      switch (outcome.type) {
        case 'rate-limited':
          return {
            output: {
              accepted: false,
              retryAfterSeconds: outcome.retryAfterSeconds,
            },
          };
        case 'refreshed':
          return {
            output: {
              accepted: true,
              status: outcome.health.status,
              components: outcome.health.components.map(
                ({ component, status, message }) => ({
                  component,
                  status,
                  message,
                }),
              ),
            },
          };
        default: {
          const unknownOutcome: never = outcome;
          throw new Error(
            `Unknown refresh outcome ${JSON.stringify(unknownOutcome)}`,
          );
        }
      }
    },
  });
}
