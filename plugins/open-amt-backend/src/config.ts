import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface NotificationSettings {
  enabled: boolean;
  onDown: boolean;
  onRecovery: boolean;
}

export interface LiveUpdateSettings {
  /**
   * Entity refs (users or groups) that receive every deployment's signals besides its owners: those the
   * permission policy lets read every deployment (e.g. the platform team). Lower-cased full refs.
   */
  readers: string[];
}

export interface VaultIdentityConfig {
  address: string;
  token?: string;
  appRole?: { roleId: string; secretId: string; mountPath: string };
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
  secretStores: {
    vault?: VaultIdentityConfig;
    /** The portal's Azure identity is used only for these Key Vaults. */
    azure?: { managedIdentityClientId?: string; vaultUrls: string[] };
    /** The portal's AWS identity is used only in this region (and at this endpoint, when one is set). */
    aws?: { region?: string; endpoint?: string };
  };
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

function positive(config: Config | undefined, key: keyof typeof HEALTH_DEFAULTS, min: number): number {
  const value = config?.getOptionalNumber(key) ?? HEALTH_DEFAULTS[key];
  if (!Number.isFinite(value) || value < min) {
    throw new InputError(`openAmt.health.${key} must be a number >= ${min}`);
  }
  return value;
}

export function readHealthConfig(root: Config): HealthConfig {
  const c = root.getOptionalConfig('openAmt.health');
  const n = c?.getOptionalConfig('notifications');
  const vault = c?.getOptionalConfig('secretStores.vault');
  const appRole = vault?.getOptionalConfig('appRole');
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
    },
    liveUpdates: { readers: readLiveUpdateReaders(c) },
    secretStores: {
      vault: vault && {
        address: vault.getString('address'),
        token: vault.getOptionalString('token'),
        appRole: appRole && {
          roleId: appRole.getString('roleId'),
          secretId: appRole.getString('secretId'),
          mountPath: appRole.getOptionalString('mountPath') ?? 'approle',
        },
      },
      azure: c?.has('secretStores.azure')
        ? {
            managedIdentityClientId: c.getOptionalString('secretStores.azure.managedIdentityClientId'),
            vaultUrls: c.getOptionalStringArray('secretStores.azure.vaultUrls') ?? [],
          }
        : undefined,
      aws: c?.has('secretStores.aws')
        ? { region: c.getOptionalString('secretStores.aws.region'), endpoint: c.getOptionalString('secretStores.aws.endpoint') }
        : undefined,
    },
  };
}

const FULL_ENTITY_REF = /^(user|group):[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;

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
