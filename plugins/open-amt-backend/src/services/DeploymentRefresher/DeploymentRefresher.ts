import { toError } from '@backstage/errors';
import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  DeploymentHealth,
  openAmtDeploymentRefreshPermission,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { Request } from 'express';
import {
  DeploymentAccess,
  notADeployment,
} from '../DeploymentAccess/DeploymentAccess';
import type { HealthEngine } from '../HealthEngine/HealthEngine';
import type { RefreshRateLimiter } from '../ProbeScheduling/refreshRateLimiter';
import { actorOf } from './actorOf';

export type RefreshOutcome =
  | { type: 'refreshed'; health: DeploymentHealth }
  | { type: 'rate-limited'; retryAfterSeconds: number };

/** Where a refresh was asked: the REST route (with its request, for the auditor) or the actions registry. */
export type RefreshOrigin =
  | { type: 'rest'; request: Request }
  | { type: 'action' };

/**
 * "Probe this deployment now", the same for the REST API and the refresh action: permission on the entity, the
 * deployment looked up before a rate-limit slot is taken, and one audit event (`deployment-refresh`, severity
 * medium: a write endpoint) per attempt, naming the caller and the deployment, successful or not.
 */
export class DeploymentRefresher {
  constructor(
    private readonly options: {
      access: DeploymentAccess;
      engine: HealthEngine;
      limiter: RefreshRateLimiter;
      auditor: AuditorService;
    },
  ) {}

  async refresh(
    entityRef: string,
    credentials: BackstageCredentials,
    origin: RefreshOrigin,
  ): Promise<RefreshOutcome> {
    const { access, engine, limiter, auditor } = this.options;
    const event = await auditor.createEvent({
      eventId: 'deployment-refresh',
      severityLevel: 'medium',
      request: origin.type === 'rest' ? origin.request : undefined,
      meta: { entityRef, via: origin.type, actor: actorOf(credentials) },
    });
    try {
      await access.assertAllowed(
        credentials,
        entityRef,
        openAmtDeploymentRefreshPermission,
      );
      // Looked up first: a refresh of something that is not a deployment spends no rate-limit slot.
      const target = await engine.findTarget(entityRef);
      if (!target) throw notADeployment(entityRef);
      const waitMs = limiter.tryAcquire(entityRef);
      if (waitMs > 0) {
        const retryAfterSeconds = Math.ceil(waitMs / 1000);
        await event.success({
          meta: { outcome: 'rate-limited', retryAfterSeconds },
        });
        return { type: 'rate-limited', retryAfterSeconds };
      }
      const health = await engine.refreshTarget(target);
      if (!health) throw notADeployment(entityRef);
      await event.success({
        meta: { outcome: 'refreshed', status: health.status },
      });
      return { type: 'refreshed', health };
    } catch (error) {
      await event.fail({ error: toError(error) });
      throw error;
    }
  }
}
