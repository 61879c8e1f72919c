import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** openAmt.health.alerts.devicesDrop, with defaults applied; see config.d.ts. */
export interface DevicesDropSettings {
  enabled: boolean;
  /** Alert when connected < level × (1 − dropPercent / 100). */
  dropPercent: number;
  /** Recovered when connected ≥ baseline × (1 − recoverPercent / 100); below dropPercent, so the two marks never meet. */
  recoverPercent: number;
  /** The level is the median connected count sampled over this many minutes before the round. */
  windowMinutes: number;
  /** No alert while the level is below this many devices. */
  minBaseline: number;
  /** Consecutive counted rounds at or above the recovery mark before the alert clears. */
  recoverRounds: number;
}

/** openAmt.health.alerts, with defaults applied. */
export interface AlertSettings {
  devicesDrop: DevicesDropSettings;
  certificates: {
    /** Days-left thresholds, each notified once per certificate, most urgent (smallest) first. */
    notifyDays: number[];
  };
}

export const DEVICES_DROP_DEFAULTS: DevicesDropSettings = {
  enabled: true,
  dropPercent: 20,
  recoverPercent: 10,
  windowMinutes: 60,
  minBaseline: 5,
  recoverRounds: 2,
};

export const CERTIFICATE_NOTIFY_DAYS = [30, 7, 1];

const PREFIX = 'openAmt.health.alerts';

/** A numeric key of devicesDrop: absent means the default; anything else must pass `fits` ("must be …" otherwise). */
function readNumber(
  c: Config | undefined,
  key: Exclude<keyof DevicesDropSettings, 'enabled'>,
  must: string,
  fits: (value: number) => boolean,
): number {
  const wanted = `${PREFIX}.devicesDrop.${key} must be ${must}`;
  let value: number | undefined;
  try {
    value = c?.getOptionalNumber(key);
  } catch {
    throw new InputError(
      `${wanted}, got ${JSON.stringify(c?.getOptional(key))}`,
    );
  }
  value ??= DEVICES_DROP_DEFAULTS[key];
  if (!Number.isFinite(value) || !fits(value))
    throw new InputError(`${wanted}, got ${value}`);
  return value;
}

const whole = (min: number) => (v: number) => Number.isInteger(v) && v >= min;

function readDevicesDrop(c: Config | undefined): DevicesDropSettings {
  const dropPercent = readNumber(
    c,
    'dropPercent',
    'a number above 0 and below 100',
    v => v > 0 && v < 100,
  );
  const recoverPercent = readNumber(
    c,
    'recoverPercent',
    'a number from 0 to below 100',
    v => v >= 0 && v < 100,
  );
  // Equal marks would let one device flapping across them raise and clear the alert every round.
  if (recoverPercent >= dropPercent)
    throw new InputError(
      `${PREFIX}.devicesDrop.recoverPercent must be below ${PREFIX}.devicesDrop.dropPercent (${dropPercent}), got ${recoverPercent}`,
    );
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? DEVICES_DROP_DEFAULTS.enabled,
    dropPercent,
    recoverPercent,
    windowMinutes: readNumber(
      c,
      'windowMinutes',
      'a number of minutes from 1 to 1440',
      v => v >= 1 && v <= 1440,
    ),
    minBaseline: readNumber(c, 'minBaseline', 'a whole number >= 1', whole(1)),
    recoverRounds: readNumber(
      c,
      'recoverRounds',
      'a whole number >= 1',
      whole(1),
    ),
  };
}

function readNotifyDays(c: Config | undefined): number[] {
  const value = c?.getOptional('notifyDays');
  if (value === undefined)
    return [...CERTIFICATE_NOTIFY_DAYS].sort((a, b) => a - b);
  const name = `${PREFIX}.certificates.notifyDays`;
  if (!Array.isArray(value))
    throw new InputError(`${name} must be a list of days, e.g. [30, 7, 1]`);
  value.forEach((day, i) => {
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1)
      throw new InputError(
        `${name}[${i}] must be a positive whole number of days, got ${JSON.stringify(
          day,
        )}`,
      );
  });
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

/** Reads openAmt.health.alerts (`c` is openAmt.health). */
export function readAlertSettings(health: Config | undefined): AlertSettings {
  const c = health?.getOptionalConfig('alerts');
  return {
    devicesDrop: readDevicesDrop(c?.getOptionalConfig('devicesDrop')),
    certificates: {
      notifyDays: readNotifyDays(c?.getOptionalConfig('certificates')),
    },
  };
}
