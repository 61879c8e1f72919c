import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AnySecretStoreAdapter,
  secretStoreAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import { AlertSettings, readAlertSettings } from './alertsConfig';

export interface NotificationSettings {
  enabled: boolean;
  onDown: boolean;
  onRecovery: boolean;
  /** When connected devices drop sharply, and when they come back (alerts.devicesDrop). */
  onDevicesDropped: boolean;
  /** When a certificate nears expiry (alerts.certificates.notifyDays) and when it has expired. */
  onCertificates: boolean;
}

export interface LiveUpdateSettings {
  /**
   * Entity refs (users or groups) that receive every deployment's signals besides its owners: those the
   * permission policy lets read every deployment (e.g. the platform team). Lower-cased full refs.
   */
  readers: string[];
}

/** openAmt.health, with defaults applied; see config.d.ts for the meaning of each key. */
export interface HealthConfig {
  enabled: boolean;
  intervalSeconds: number;
  timeoutMs: number;
  concurrency: number;
  jitterMs: number;
  allowedHosts: string[];
  refreshRateLimitSeconds: number;
  retentionDays: number;
  factsMaxAgeSeconds: number;
  notifications: NotificationSettings;
  liveUpdates: LiveUpdateSettings;
  alerts: AlertSettings;
  /**
   * The portal's own identity per kind of store, by the section under openAmt.health.secretStores each store adapter
   * reads (its portalIdentity.configKey: `vault`, `azure`, `aws`, or an added store's), as that adapter read it.
   */
  secretStores: Record<string, unknown>;
}

export const HEALTH_DEFAULTS = {
  intervalSeconds: 60,
  timeoutMs: 5000,
  concurrency: 50,
  jitterMs: 1000,
  refreshRateLimitSeconds: 30,
  retentionDays: 30,
  factsMaxAgeSeconds: 600,
} as const;

function positive(
  config: Config | undefined,
  key: keyof typeof HEALTH_DEFAULTS,
  min: number,
): number {
  const value = config?.getOptionalNumber(key) ?? HEALTH_DEFAULTS[key];
  if (!Number.isFinite(value) || value < min) {
    throw new InputError(`openAmt.health.${key} must be a number >= ${min}`);
  }
  return value;
}

/**
 * Reads openAmt.health. `secretStores`: the store adapters whose config sections are read (the built-ins by default;
 * the plugin passes the built-ins plus those added through openAmtProvidersExtensionPoint).
 */
export function readHealthConfig(
  root: Config,
  secretStores: Readonly<
    Record<string, AnySecretStoreAdapter>
  > = secretStoreAdapters,
): HealthConfig {
  const c = root.getOptionalConfig('openAmt.health');
  const n = c?.getOptionalConfig('notifications');
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    intervalSeconds: positive(c, 'intervalSeconds', 1),
    timeoutMs: positive(c, 'timeoutMs', 100),
    concurrency: Math.floor(positive(c, 'concurrency', 1)),
    jitterMs: positive(c, 'jitterMs', 0),
    allowedHosts: c?.getOptionalStringArray('allowedHosts') ?? [],
    refreshRateLimitSeconds: positive(c, 'refreshRateLimitSeconds', 0),
    retentionDays: positive(c, 'retentionDays', 1),
    factsMaxAgeSeconds: positive(c, 'factsMaxAgeSeconds', 0),
    notifications: {
      enabled: n?.getOptionalBoolean('enabled') ?? true,
      onDown: n?.getOptionalBoolean('onDown') ?? true,
      onRecovery: n?.getOptionalBoolean('onRecovery') ?? true,
      onDevicesDropped: n?.getOptionalBoolean('onDevicesDropped') ?? true,
      onCertificates: n?.getOptionalBoolean('onCertificates') ?? true,
    },
    liveUpdates: { readers: readLiveUpdateReaders(c) },
    alerts: readAlertSettings(c),
    secretStores: readStoreIdentities(
      c?.getOptionalConfig('secretStores'),
      secretStores,
    ),
  };
}

/** Each store adapter's section of openAmt.health.secretStores, read by that adapter; absent sections are left out. */
function readStoreIdentities(
  config: Config | undefined,
  adapters: Readonly<Record<string, AnySecretStoreAdapter>>,
): HealthConfig['secretStores'] {
  const sections: HealthConfig['secretStores'] = {};
  for (const adapter of Object.values(adapters)) {
    const identity = adapter.portalIdentity;
    const section = identity && config?.getOptionalConfig(identity.configKey);
    if (identity && section)
      sections[identity.configKey] = identity.readConfig(section);
  }
  return sections;
}

const FULL_ENTITY_REF =
  /^(user|group):[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;

function readLiveUpdateReaders(c: Config | undefined): string[] {
  const readers = c?.getOptionalStringArray('liveUpdates.readers') ?? [];
  return readers.map((value, i) => {
    const ref = value.trim().toLocaleLowerCase('en-US');
    if (!FULL_ENTITY_REF.test(ref)) {
      throw new InputError(
        `openAmt.health.liveUpdates.readers[${i}] must be a full user or group entity ref such as group:default/platform-team, got "${value}"`,
      );
    }
    return ref;
  });
}
