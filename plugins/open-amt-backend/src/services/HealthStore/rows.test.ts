import { ComponentId } from '@open-amt-backstage/plugin-open-amt-common';
import { ComponentRow, DeploymentRow, stateOfRow } from './rows';

const deployment: DeploymentRow = {
  id: 1,
  entity_ref: 'system:default/lab',
  namespace: 'default',
  name: 'lab',
  title: null,
  owner: null,
  target: null,
  database_provider: null,
  secrets_provider: null,
  gateway_provider: null,
  simulated: false,
  toolkit_release: null,
  status: 'healthy',
  checked_at: 1_700_000_000_000,
  count_healthy: 2,
  count_degraded: 0,
  count_down: 0,
  count_unknown: 0,
};

/** A stored component row, details as the JSON text the table holds. */
function row(
  component: ComponentId,
  details: unknown,
  status: ComponentRow['status'] = 'healthy',
): ComponentRow {
  return {
    deployment_id: 1,
    component,
    provider: 'open-amt',
    support_level: 'supported',
    status,
    latency_ms: 5,
    checked_at: 1_700_000_000_000,
    since: 1_700_000_000_000,
    message: '',
    details: details === undefined ? null : JSON.stringify(details),
  };
}

const counts = { totalCount: 40, connectedCount: 38, disconnectedCount: 2 };
const cert = (name: string, daysLeft: number) => ({
  kind: 'provisioning',
  name,
  expiresAt: '2030-01-01T00:00:00.000Z',
  daysLeft,
  status: 'healthy',
});
const summaryOf = (rows: ComponentRow[]) =>
  stateOfRow(deployment, rows).summary;

describe('fleet row devices and certificates, derived from the stored rows', () => {
  it('takes connected/total from the devices row, not dropped without an active drop alert', () => {
    expect(summaryOf([row('devices', counts)]).devices).toEqual({
      connected: 38,
      total: 40,
      dropped: false,
    });
  });

  it('reads an active drop alert as dropped', () => {
    const alert = {
      ...counts,
      connectedCount: 10,
      dropAlert: {
        since: '2025-03-01T10:00:00.000Z',
        baseline: 38,
        recoverAt: 34,
      },
    };
    expect(summaryOf([row('devices', alert, 'degraded')]).devices).toEqual({
      connected: 10,
      total: 40,
      dropped: true,
    });
  });

  it('has no devices while the row never counted them (or holds no valid counts)', () => {
    expect(summaryOf([]).devices).toBeUndefined();
    expect(
      summaryOf([row('devices', { failure: 'timeout' }, 'unknown')]).devices,
    ).toBeUndefined();
    expect(
      summaryOf([row('devices', { totalCount: 4, connectedCount: -1 })])
        .devices,
    ).toBeUndefined();
    expect('devices' in summaryOf([])).toBe(false);
  });

  it.each([
    [31, false],
    [30, true],
    [0, true],
    [-1, true],
  ])(
    'with a certificate %p days from expiry, the soonest of several, expiring is %p',
    (daysLeft, expiring) => {
      const details = {
        certificates: [cert('later', 400), cert('soonest', daysLeft)],
        renewDays: 30,
      };
      expect(summaryOf([row('certificates', details)]).certificates).toEqual({
        soonestDaysLeft: daysLeft,
        expiring,
      });
    },
  );

  it('has no certificates when none was read', () => {
    expect(summaryOf([]).certificates).toBeUndefined();
    expect(
      summaryOf([
        row(
          'certificates',
          { certificates: [], unread: ['RPS down'] },
          'unknown',
        ),
      ]).certificates,
    ).toBeUndefined();
    expect(
      summaryOf([row('certificates', { certificates: [{ name: 'x' }] })])
        .certificates,
    ).toBeUndefined();
  });

  it('reads each fact from its own row only', () => {
    const summary = summaryOf([
      row('mps', counts),
      row('rps', { certificates: [cert('elsewhere', 3)] }),
    ]);
    expect(summary.devices).toBeUndefined();
    expect(summary.certificates).toBeUndefined();
  });
});
