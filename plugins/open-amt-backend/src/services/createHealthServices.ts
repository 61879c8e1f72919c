import { toError } from '@backstage/errors';
import {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  ciraEndpointAdapter,
  devicesAdapter,
  certificatesAdapter,
  createHostGuard,
  databaseAdapters,
  gatewayAdapters,
  HostGuard,
  secretStoreAdapters,
  serviceAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import { HealthConfig } from '../config';
import { CredentialResolver } from './CredentialResolver/CredentialResolver';
import {
  createOwnIdentity,
  OwnIdentity,
} from './CredentialResolver/ownIdentity';
import { ProbeFacts } from './HealthEngine/ProbeFacts';
import {
  DeploymentProber,
  ProbeAdapters,
} from './HealthEngine/DeploymentProber';
import { DeviceDropAlerts } from './Alerts/DeviceDropAlerts';
import { HealthEngine } from './HealthEngine/HealthEngine';
import { HealthNotifier } from './HealthNotifier/HealthNotifier';
import { DatabaseHealthStore } from './HealthStore/DatabaseHealthStore';
import type { HealthStore } from './HealthStore/HealthStore';
import { HistoryRetention } from './HealthStore/HistoryRetention';
import { createLimiter } from './ProbeScheduling/limiter';
import { RefreshRateLimiter } from './ProbeScheduling/refreshRateLimiter';

export const SWEEP_TASK_ID = 'open-amt-health-sweep';
export { RETENTION_TASK_ID } from './HealthStore/HistoryRetention';

export const defaultProbeAdapters: ProbeAdapters = {
  databases: databaseAdapters,
  secretStores: secretStoreAdapters,
  gateways: gatewayAdapters,
  services: serviceAdapters,
  cira: ciraEndpointAdapter,
  devices: devicesAdapter,
  certificates: certificatesAdapter,
};

export interface HealthServices {
  store: HealthStore;
  engine: HealthEngine;
  refreshLimiter: RefreshRateLimiter;
  retention: HistoryRetention;
}

/** Wires store, prober, engine and notifier from config; tests and benchmarks replace parts. */
export async function createHealthServices(options: {
  config: HealthConfig;
  logger: LoggerService;
  database: DatabaseService;
  auth: AuthService;
  catalog: CatalogService;
  signals?: SignalsService;
  notifications?: NotificationService;
  adapters?: ProbeAdapters;
  guard?: HostGuard;
  identity?: OwnIdentity;
  store?: HealthStore;
  /** Where the sweep's jitter draws from (tests pin it; Math.random otherwise). */
  random?: () => number;
}): Promise<HealthServices> {
  const { config, logger } = options;
  const store =
    options.store ??
    (await DatabaseHealthStore.create({ database: options.database }));
  const adapters = options.adapters ?? defaultProbeAdapters;
  const identity =
    options.identity ??
    createOwnIdentity(config.secretStores, Date.now, adapters.secretStores);
  const prober = new DeploymentProber({
    adapters,
    guard:
      options.guard ?? createHostGuard({ allowedHosts: config.allowedHosts }),
    timeoutMs: config.timeoutMs,
    limiter: createLimiter(config.concurrency),
    // As many deployments as probes run at once: about ten times the probes queued, enough to keep every slot busy.
    deploymentWindow: createLimiter(config.concurrency),
    credentials: new CredentialResolver({
      identity,
      secretStores: config.secretStores,
      logger,
      adapters: adapters.secretStores,
    }),
    identity,
    facts: new ProbeFacts(config.factsMaxAgeSeconds * 1000),
  });
  const notifier = new HealthNotifier({
    logger,
    settings: config.notifications,
    certificateNotifyDays: config.alerts.certificates.notifyDays,
    notices: store,
    liveUpdates: config.liveUpdates,
    signals: options.signals,
    notifications: options.notifications,
  });
  const engine = new HealthEngine({
    catalog: options.catalog,
    auth: options.auth,
    store,
    prober,
    alerts: new DeviceDropAlerts({
      settings: config.alerts.devicesDrop,
      store,
      logger,
    }),
    notifier,
    logger,
    jitterMs: config.jitterMs,
    random: options.random,
  });
  return {
    store,
    engine,
    refreshLimiter: new RefreshRateLimiter(
      config.refreshRateLimitSeconds * 1000,
    ),
    retention: new HistoryRetention({
      store,
      logger,
      retentionDays: config.retentionDays,
    }),
  };
}

/** The sweep (global scope: one replica per interval) and the history retention job. */
export async function scheduleHealthTasks(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: HealthConfig;
  engine: HealthEngine;
  retention: HistoryRetention;
}) {
  const { scheduler, logger, config, engine, retention } = options;
  if (config.enabled) {
    await scheduler.scheduleTask({
      id: SWEEP_TASK_ID,
      scope: 'global',
      frequency: { seconds: config.intervalSeconds },
      // A sweep may run long on a big fleet, but never past a few intervals.
      timeout: {
        seconds: Math.max(
          config.intervalSeconds * 3,
          Math.ceil(config.timeoutMs / 1000) * 3,
        ),
      },
      initialDelay: { seconds: Math.min(10, config.intervalSeconds) },
      fn: async signal => {
        try {
          await engine.sweep(signal as AbortSignal | undefined);
        } catch (error) {
          // Logged, not thrown: the next interval tries again (e.g. after a database restart).
          logger.error(`Health sweep failed: ${toError(error).message}`);
        }
      },
    });
  }
  await retention.schedule(scheduler);
}
