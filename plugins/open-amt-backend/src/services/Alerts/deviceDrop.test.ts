import { decideDeviceDrop, DropDecision, DropState } from './deviceDrop';
import { DeviceLevelWindow } from './DeviceLevelWindow';

const settings = {
  dropPercent: 20,
  recoverPercent: 10,
  minBaseline: 5,
  recoverRounds: 2,
};
const T0 = Date.parse('2026-03-02T14:00:00Z');
const MINUTE = 60_000;

/** Rounds a minute apart through the window and the decision, as DeviceDropAlerts chains them. */
function simulate(
  rounds: Array<number | { connected: number; total: number }>,
  options: { minBaseline?: number } = {},
) {
  const window = new DeviceLevelWindow(60 * MINUTE);
  let previous: DropState | undefined;
  return rounds.map((round, i): DropDecision => {
    const { connected, total } =
      typeof round === 'number' ? { connected: round, total: 60 } : round;
    const at = new Date(T0 + i * MINUTE);
    const decision = decideDeviceDrop({
      settings: { ...settings, ...options },
      level: window.level('d', at.getTime()),
      connected,
      total,
      previous,
      at,
    });
    window.add('d', at.getTime(), connected);
    previous =
      decision.kind === 'started' || decision.kind === 'alerting'
        ? decision.state
        : undefined;
    return decision;
  });
}
const steady = (connected: number, rounds = 10) =>
  Array<number>(rounds).fill(connected);
const kinds = (decisions: DropDecision[]) => decisions.map(d => d.kind);
const count = (decisions: DropDecision[], kind: DropDecision['kind']) =>
  decisions.filter(d => d.kind === kind).length;

describe('decideDeviceDrop', () => {
  it('starts below the drop mark of the last hour, freezing the baseline and the recovery mark', () => {
    const decisions = simulate([...steady(40), 31]);
    expect(kinds(decisions.slice(0, 10))).toEqual(steady(0).map(() => 'quiet'));
    expect(decisions[10]).toEqual({
      kind: 'started',
      state: {
        alert: {
          since: new Date(T0 + 10 * MINUTE).toISOString(),
          baseline: 40,
          recoverAt: 36,
        },
        recoveredRounds: 0,
      },
    });
  });

  it('does not alert on the drop mark itself, nor on a 15 % drop', () => {
    expect(count(simulate([...steady(40), 32, 32, 32]), 'started')).toBe(0);
    expect(count(simulate([...steady(40), ...steady(34)]), 'started')).toBe(0);
  });

  it('does not alert while the level is below minBaseline, and does from it', () => {
    expect(count(simulate([...steady(4), 0, 0]), 'started')).toBe(0);
    expect(count(simulate([...steady(5), 0]), 'started')).toBe(1);
    expect(
      count(simulate([...steady(40), 0], { minBaseline: 41 }), 'started'),
    ).toBe(0);
  });

  it('gives one alert, not many, for a count flapping around the drop mark', () => {
    const flapping = Array.from({ length: 90 }, (_, i) => (i % 2 ? 33 : 31));
    const decisions = simulate([...steady(40, 60), ...flapping]);
    expect(count(decisions, 'started')).toBe(1);
    expect(count(decisions, 'recovered')).toBe(0);
    expect(decisions[decisions.length - 1].kind).toBe('alerting');
  });

  it('recovers only after recoverRounds rounds in a row at or above the recovery mark', () => {
    const decisions = simulate([...steady(40), 12, 36, 35, 36, 20, 36, 37]);
    expect(kinds(decisions.slice(10))).toEqual([
      'started',
      'alerting', // 36: one round at the mark
      'alerting', // 35: below again, the count starts over
      'alerting',
      'alerting',
      'alerting',
      'recovered', // the second round in a row
    ]);
    const rounds = decisions
      .slice(11, 16)
      .map(d => (d.kind === 'alerting' ? d.state.recoveredRounds : -1));
    expect(rounds).toEqual([1, 0, 1, 0, 1]);
    expect(decisions[16]).toEqual({
      kind: 'recovered',
      ended: {
        since: new Date(T0 + 10 * MINUTE).toISOString(),
        baseline: 40,
        recoverAt: 36,
      },
    });
  });

  it('does not count devices deleted from MPS as dropped: the total caps the level and the baseline', () => {
    // 28 disconnected devices deleted: 12 of 12 connected is no drop.
    const deleted = simulate([
      ...steady(40),
      { connected: 12, total: 12 },
      { connected: 12, total: 12 },
    ]);
    expect(count(deleted, 'started')).toBe(0);

    // Deleted while alerting: the baseline follows the total down, and 18 of 20 is recovered.
    const during = simulate([
      ...steady(40),
      { connected: 10, total: 60 },
      { connected: 18, total: 20 },
      { connected: 18, total: 20 },
    ]);
    expect(during[11]).toMatchObject({
      kind: 'alerting',
      state: { alert: { baseline: 20, recoverAt: 18 }, recoveredRounds: 1 },
    });
    expect(during[12]).toMatchObject({
      kind: 'recovered',
      ended: { baseline: 20 },
    });
  });

  it('uses the median of the window, so one odd round does not raise the level', () => {
    // A single spike to 100 does not make 40 look like a drop.
    expect(count(simulate([...steady(40), 100, 40, 40]), 'started')).toBe(0);
  });
});
