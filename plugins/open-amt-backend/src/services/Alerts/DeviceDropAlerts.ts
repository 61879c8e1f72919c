import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { ComponentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import type { DevicesDropSettings } from '../../alertsConfig';
import type { HealthStore } from '../HealthStore/HealthStore';
import { decideDeviceDrop, DropAlert } from './deviceDrop';
import { DeviceLevelWindow } from './DeviceLevelWindow';
import {
  alertingRow,
  countsOf,
  dropStateOf,
  withDropState,
} from './devicesRow';

/** What a round's alert decision asks the notifier to tell the owners, once it is stored. */
export type DevicesAlertEvent =
  | {
      kind: 'devicesDropped';
      alert: DropAlert;
      message: string;
      /**
       * The stored round the drop was judged against (its checkedAt; the alert's start when none was stored). Two
       * replicas judging the same drop at once read the same stored round but start their alerts at their own probe
       * times: this, not `alert.since`, names the drop so that it is told once.
       */
      after: string;
    }
  | {
      kind: 'devicesRecovered';
      alert: DropAlert;
      connected: number;
      total: number;
    };

export interface AlertedRound {
  components: ComponentHealth[];
  events: DevicesAlertEvent[];
}

/**
 * Applies the device-drop alert to a probe round before it is stored (sweep and on-demand refresh alike). The alert's
 * state is read from the stored devices row, so it survives restarts and follows the deployment from replica to
 * replica; only the recent counts (the level) are in memory, topped up from the stored row when that is newer.
 */
export class DeviceDropAlerts {
  private readonly window: DeviceLevelWindow;

  constructor(
    private readonly options: {
      settings: DevicesDropSettings;
      store: Pick<HealthStore, 'getDeployment' | 'catchUp'>;
      logger: LoggerService;
    },
  ) {
    this.window = new DeviceLevelWindow(
      options.settings.windowMinutes * 60_000,
    );
  }

  /**
   * Never throws: a round whose alert cannot be judged (the store unreadable) is stored as probed, and logged.
   * `catchUp`: read other replicas' latest writes first (an on-demand refresh; a sweep starts from a fresh read of
   * the store anyway).
   */
  async apply(
    entityRef: string,
    components: ComponentHealth[],
    options: { catchUp?: boolean } = {},
  ): Promise<AlertedRound> {
    const index = components.findIndex(c => c.component === 'devices');
    if (!this.options.settings.enabled || index < 0)
      return { components, events: [] };
    const { store } = this.options;
    try {
      if (options.catchUp) await store.catchUp();
      const health = await store.getDeployment(entityRef);
      const stored = health?.components.find(c => c.component === 'devices');
      const { row, events } = this.judge(entityRef, components[index], stored);
      const next = [...components];
      next[index] = row;
      return { components: next, events };
    } catch (error) {
      this.options.logger.warn(
        `Judging the device-drop alert of ${entityRef} failed, not judged this round: ${
          toError(error).message
        }`,
      );
      return { components, events: [] };
    }
  }

  /** Forgets the counts of deployments that left the catalog. */
  retainOnly(entityRefs: ReadonlySet<string>): void {
    this.window.retainOnly(entityRefs);
  }

  private judge(
    entityRef: string,
    row: ComponentHealth,
    stored: ComponentHealth | undefined,
  ): { row: ComponentHealth; events: DevicesAlertEvent[] } {
    const { settings } = this.options;
    const previous = dropStateOf(stored?.details);
    const counts = countsOf(row);
    // Not counted (MPS not asked or not answering): nothing to judge. An alert stays as it was, without touching the
    // row's status: unknown says more than a degraded guess.
    if (!counts)
      return { row: previous ? withDropState(row, previous) : row, events: [] };
    const at = new Date(Date.parse(row.checkedAt) || Date.now());
    this.seed(entityRef, stored);
    const decision = decideDeviceDrop({
      settings,
      level: this.window.level(entityRef, at.getTime()),
      ...counts,
      previous,
      at,
    });
    this.window.add(entityRef, at.getTime(), counts.connected);
    switch (decision.kind) {
      case 'quiet':
        return { row, events: [] };
      case 'recovered':
        return {
          row,
          events: [
            { kind: 'devicesRecovered', alert: decision.ended, ...counts },
          ],
        };
      case 'started':
      case 'alerting': {
        const alerting = alertingRow(row, decision.state, {
          started: decision.kind === 'started',
          ...counts,
          windowMinutes: settings.windowMinutes,
          recoverRounds: settings.recoverRounds,
          at,
        });
        const events: DevicesAlertEvent[] =
          decision.kind === 'started'
            ? [
                {
                  kind: 'devicesDropped',
                  alert: decision.state.alert,
                  message: alerting.message,
                  after: stored?.checkedAt ?? decision.state.alert.since,
                },
              ]
            : [];
        return { row: alerting, events };
      }
      default: {
        const unexpected: never = decision;
        throw new Error(`Unknown drop decision ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** The stored round joins the window when newer than what it holds (after a restart, or another replica's sweep). */
  private seed(entityRef: string, stored: ComponentHealth | undefined): void {
    const counts = countsOf(stored);
    const at = stored ? Date.parse(stored.checkedAt) : NaN;
    if (!counts || Number.isNaN(at)) return;
    if (at > (this.window.newest(entityRef) ?? -Infinity))
      this.window.add(entityRef, at, counts.connected);
  }
}
