import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { readHealthConfig } from './config';

const read = (alerts: JsonObject, notifications: JsonObject = {}) =>
  readHealthConfig(
    new ConfigReader({ openAmt: { health: { alerts, notifications } } }),
  );
const drop = (devicesDrop: JsonObject) => () => read({ devicesDrop });

describe('openAmt.health.alerts', () => {
  it('defaults: 20 % drop of the last hour, recovered at 10 % for 2 rounds, from 5 devices; certificates at 30, 7, 1 days', () => {
    const config = read({});
    expect(config.alerts).toEqual({
      devicesDrop: {
        enabled: true,
        dropPercent: 20,
        recoverPercent: 10,
        windowMinutes: 60,
        minBaseline: 5,
        recoverRounds: 2,
      },
      certificates: { notifyDays: [1, 7, 30] },
    });
    expect(config.notifications).toMatchObject({
      onDevicesDropped: true,
      onCertificates: true,
    });
  });

  it('reads what is set (numbers written as strings too, as Backstage config allows), thresholds ascending without repeats', () => {
    const config = read(
      {
        devicesDrop: {
          enabled: false,
          dropPercent: '30',
          recoverPercent: 0,
          windowMinutes: 15,
          minBaseline: 50,
          recoverRounds: 3,
        },
        certificates: { notifyDays: [14, 60, 14, 3] },
      },
      { onDevicesDropped: false, onCertificates: false },
    );
    expect(config.alerts.devicesDrop).toEqual({
      enabled: false,
      dropPercent: 30,
      recoverPercent: 0,
      windowMinutes: 15,
      minBaseline: 50,
      recoverRounds: 3,
    });
    expect(config.alerts.certificates.notifyDays).toEqual([3, 14, 60]);
    expect(config.notifications).toMatchObject({
      onDevicesDropped: false,
      onCertificates: false,
    });
  });

  it.each([
    [{ dropPercent: 0 }, 'dropPercent must be a number above 0 and below 100'],
    [
      { dropPercent: 100 },
      'dropPercent must be a number above 0 and below 100',
    ],
    [
      { dropPercent: 'many' },
      'dropPercent must be a number above 0 and below 100, got "many"',
    ],
    [
      { recoverPercent: -1 },
      'recoverPercent must be a number from 0 to below 100',
    ],
    [
      { windowMinutes: 0.5 },
      'windowMinutes must be a number of minutes from 1 to 1440',
    ],
    [
      { windowMinutes: 1441 },
      'windowMinutes must be a number of minutes from 1 to 1440',
    ],
    [{ minBaseline: 0 }, 'minBaseline must be a whole number >= 1'],
    [{ minBaseline: 2.5 }, 'minBaseline must be a whole number >= 1'],
    [{ recoverRounds: 0 }, 'recoverRounds must be a whole number >= 1'],
  ])('refuses %j, naming the key', (devicesDrop, message) => {
    expect(drop(devicesDrop)).toThrow(InputError);
    expect(drop(devicesDrop)).toThrow(
      `openAmt.health.alerts.devicesDrop.${message}`,
    );
  });

  it('refuses a recovery mark at or below the drop mark (recoverPercent >= dropPercent)', () => {
    expect(drop({ dropPercent: 20, recoverPercent: 20 })).toThrow(
      'openAmt.health.alerts.devicesDrop.recoverPercent must be below openAmt.health.alerts.devicesDrop.dropPercent (20), got 20',
    );
    // The default recoverPercent (10) against a lowered dropPercent.
    expect(drop({ dropPercent: 10 })).toThrow(/recoverPercent must be below/);
    expect(drop({ dropPercent: 15, recoverPercent: 14.5 })).not.toThrow();
  });

  it.each([
    [[30, 0], 'notifyDays[1] must be a positive whole number of days, got 0'],
    [[7.5], 'notifyDays[0] must be a positive whole number of days, got 7.5'],
    [['7'], 'notifyDays[0] must be a positive whole number of days, got "7"'],
    [7, 'notifyDays must be a list of days'],
  ])(
    'refuses certificate thresholds %j, naming the entry',
    (notifyDays, message) => {
      expect(() => read({ certificates: { notifyDays } })).toThrow(
        `openAmt.health.alerts.certificates.${message}`,
      );
    },
  );
});
