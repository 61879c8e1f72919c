import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  ComponentHealth,
  OPEN_AMT_SIGNAL_CHANNEL,
  OpenAmtHealthSignal,
} from '@open-amt-backstage/plugin-open-amt-common';
import { LiveUpdateSettings, NotificationSettings } from '../../config';
import type { DevicesAlertEvent } from '../Alerts/DeviceDropAlerts';
import type {
  DeploymentMeta,
  HealthStore,
  RecordOutcome,
} from '../HealthStore/HealthStore';
import { CertificateNotices } from './CertificateNotices';
import { DeviceDropNotices } from './DeviceDropNotices';
import { NoticeLedger } from './NoticeLedger';
import { OwnerNotifications } from './OwnerNotifications';

/**
 * Tells those who may see a deployment about its state changes: a signal on every change (cards and the fleet
 * page update live) addressed to the owners the catalog confirms (ownedBy relations) and to the configured
 * readers, never broadcast; and a notification to the confirmed owners when it goes down and when it recovers,
 * linking to the entity. Besides, once each (the notices ledger): when connected devices dropped and came back, and
 * when a certificate nears expiry or has expired. Delivery problems (e.g. the notifications backend is not
 * installed) are logged, never thrown into the sweep.
 */
export class HealthNotifier {
  private readonly devices: DeviceDropNotices;
  private readonly certificates: CertificateNotices;

  constructor(
    private readonly options: {
      logger: LoggerService;
      settings: NotificationSettings;
      /** Days-left thresholds of certificate notices, ascending (alerts.certificates.notifyDays). */
      certificateNotifyDays: number[];
      /** The notices ledger. */
      notices: Pick<HealthStore, 'claimNotice'>;
      liveUpdates?: LiveUpdateSettings;
      signals?: SignalsService;
      notifications?: NotificationService;
    },
  ) {
    const { logger, settings } = options;
    const ledger = new NoticeLedger({ store: options.notices, logger });
    const owners = new OwnerNotifications({
      logger,
      notifications: options.notifications,
    });
    this.devices = new DeviceDropNotices({ settings, ledger, owners, logger });
    this.certificates = new CertificateNotices({
      settings,
      notifyDays: options.certificateNotifyDays,
      ledger,
      owners,
    });
  }

  /** After a round was stored; `events`: what its device-drop alert decided. */
  async onRecorded(
    meta: DeploymentMeta,
    outcome: RecordOutcome,
    components: ComponentHealth[],
    events: DevicesAlertEvent[] = [],
  ): Promise<void> {
    const changed =
      outcome.changed.length > 0 || outcome.previousStatus !== outcome.status;
    await Promise.all([
      changed && this.signal(meta, outcome),
      changed && this.notify(meta, outcome, components),
      this.devices.notify(meta, events),
      // Every round, not only on a change: a threshold is crossed while the row stays degraded.
      this.certificates.notify(meta, components),
    ]);
  }

  private async signal(meta: DeploymentMeta, outcome: RecordOutcome) {
    if (!this.options.signals) return;
    // The signals backend delivers to connections whose identity owns any of these refs (user or group).
    const recipients = [
      ...new Set([
        ...(meta.ownedBy ?? []),
        ...(this.options.liveUpdates?.readers ?? []),
      ]),
    ];
    if (recipients.length === 0) return;
    const message: OpenAmtHealthSignal = {
      entityRef: outcome.entityRef,
      status: outcome.status,
      changed: outcome.changed.map(({ component, from, to }) => ({
        component,
        from,
        to,
      })),
    };
    try {
      await this.options.signals.publish({
        recipients: { type: 'user', entityRef: recipients },
        channel: OPEN_AMT_SIGNAL_CHANNEL,
        message: message as unknown as Record<string, any>,
      });
    } catch (error) {
      this.options.logger.warn(
        `Publishing the health signal for ${outcome.entityRef} failed: ${
          toError(error).message
        }`,
      );
    }
  }

  private async notify(
    meta: DeploymentMeta,
    outcome: RecordOutcome,
    components: ComponentHealth[],
  ) {
    const { settings, notifications } = this.options;
    if (!notifications || !settings.enabled) return;
    const wentDown =
      outcome.status === 'down' && outcome.previousStatus !== 'down';
    const recovered =
      outcome.previousStatus === 'down' &&
      (outcome.status === 'healthy' || outcome.status === 'degraded');
    if (!(wentDown && settings.onDown) && !(recovered && settings.onRecovery))
      return;
    // Only owners the catalog confirms: spec.owner text that resolves to no entity notifies nobody.
    const owners = meta.ownedBy ?? [];
    if (owners.length === 0) {
      this.options.logger.info(
        `No owner of ${outcome.entityRef} is confirmed by the catalog (ownedBy); not notifying`,
      );
      return;
    }

    const name = meta.title ?? meta.name;
    const down = components.filter(c => c.status === 'down');
    const description = wentDown
      ? down.map(c => `${c.component}: ${c.message}`).join(' ')
      : `All critical components answer again (now ${outcome.status}).`;
    try {
      await notifications.send({
        // The owners themselves (the notifications backend resolves a group to its members).
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: wentDown
            ? `Open AMT deployment ${name} is down`
            : `Open AMT deployment ${name} recovered`,
          description: description.slice(0, 1000),
          link: `/catalog/${meta.namespace}/system/${meta.name}`,
          severity: wentDown ? 'critical' : 'normal',
          topic: 'open-amt-health',
          scope: `open-amt-health:${outcome.entityRef}`,
        },
      });
    } catch (error) {
      this.options.logger.warn(
        `Sending the health notification for ${outcome.entityRef} failed: ${
          toError(error).message
        }`,
      );
    }
  }
}
