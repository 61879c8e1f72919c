import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { DeploymentMeta } from '../HealthStore/HealthStore';

/**
 * Sends a deployment's notices to the owners the catalog confirms (ownedBy relations; spec.owner text that resolves to
 * no entity notifies nobody), linking to the entity. Delivery problems are logged, never thrown.
 */
export class OwnerNotifications {
  constructor(
    private readonly options: {
      logger: LoggerService;
      notifications?: NotificationService;
    },
  ) {}

  /** Whether a notice about this deployment can reach anyone (check before claiming it). */
  canReach(meta: DeploymentMeta): boolean {
    return Boolean(this.options.notifications && meta.ownedBy?.length);
  }

  async send(
    meta: DeploymentMeta,
    payload: Omit<NotificationPayload, 'link'>,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    const owners = meta.ownedBy ?? [];
    if (!notifications || owners.length === 0) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          ...payload,
          description: payload.description?.slice(0, 1000),
          link: `/catalog/${meta.namespace}/system/${meta.name}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Sending the notification "${payload.title}" for ${
          meta.entityRef
        } failed: ${toError(error).message}`,
      );
    }
  }
}
