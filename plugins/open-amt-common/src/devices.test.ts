import { deviceCountsOf, dropAlertOf } from './devices';

describe('devices row details', () => {
  it('reads the current counts, or none when MPS was not counted', () => {
    expect(deviceCountsOf({ connectedCount: 38, totalCount: 40 })).toEqual({
      connected: 38,
      total: 40,
    });
    expect(deviceCountsOf({ httpStatus: 401 })).toBeUndefined();
    expect(deviceCountsOf(undefined)).toBeUndefined();
  });

  it('reads a well-formed drop alert and ignores a malformed one', () => {
    const alert = {
      since: '2026-11-25T11:00:00Z',
      baseline: 40,
      recoverAt: 38,
    };
    expect(dropAlertOf({ dropAlert: alert })).toEqual(alert);
    expect(
      dropAlertOf({ dropAlert: { ...alert, since: 'yesterday' } }),
    ).toBeUndefined();
    expect(
      dropAlertOf({ dropAlert: { ...alert, recoverAt: '38' } }),
    ).toBeUndefined();
    expect(dropAlertOf({})).toBeUndefined();
  });
});
