import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationSettings } from '../../config';
import type { DevicesAlertEvent } from '../Alerts/DeviceDropAlerts';
import type { DeploymentMeta } from '../HealthStore/HealthStore';
import type { NoticeLedger } from './NoticeLedger';
import type { OwnerNotifications } from './OwnerNotifications';

const clock = (iso: string) => {
  const d = new Date(iso).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
};

/**
 * Tells the owners once when connected devices dropped (keyed by the stored round the drop followed) and once when they
 * came back (keyed by the stored alert's start).
 */
export class DeviceDropNotices {
  constructor(
    private readonly options: {
      settings: NotificationSettings;
      ledger: NoticeLedger;
      owners: OwnerNotifications;
      logger: LoggerService;
    },
  ) {}

  async notify(
    meta: DeploymentMeta,
    events: DevicesAlertEvent[],
  ): Promise<void> {
    const { settings, ledger, owners } = this.options;
    if (!events.length || !settings.enabled || !settings.onDevicesDropped)
      return;
    if (!owners.canReach(meta)) {
      this.options.logger.info(
        `No owner of ${meta.entityRef} is confirmed by the catalog (ownedBy), or notifications are not installed; not telling about its devices`,
      );
      return;
    }
    for (const event of events) {
      const { key, payload } = this.noticeOf(meta, event);
      if (await ledger.claim(meta.entityRef, key))
        await owners.send(meta, payload);
    }
  }

  private noticeOf(
    meta: DeploymentMeta,
    event: DevicesAlertEvent,
  ): { key: string; payload: Omit<NotificationPayload, 'link'> } {
    const name = meta.title ?? meta.name;
    const common = {
      topic: 'open-amt-devices',
      // The recovery replaces the drop in the owners' list.
      scope: `open-amt-devices:${meta.entityRef}`,
    };
    switch (event.kind) {
      case 'devicesDropped':
        return {
          key: `devices-dropped:after:${event.after}`,
          payload: {
            ...common,
            title: `Open AMT deployment ${name} lost connected devices`,
            description: event.message,
            severity: 'high',
          },
        };
      case 'devicesRecovered':
        return {
          key: `devices-recovered:${event.alert.since}`,
          payload: {
            ...common,
            title: `Open AMT deployment ${name} has its connected devices back`,
            description: `${event.connected} of ${
              event.total
            } devices are connected again (recovered at ${
              event.alert.recoverAt
            } or more; ${event.alert.baseline} before the drop at ${clock(
              event.alert.since,
            )}).`,
            severity: 'normal',
          },
        };
      default: {
        const unexpected: never = event;
        throw new Error(`Unknown devices event ${JSON.stringify(unexpected)}`);
      }
    }
  }
}
