import { driftGroupsOf } from './drift';

describe('driftGroupsOf', () => {
  it('reads an object of lists with route objects', () => {
    expect(
      driftGroupsOf({
        missing: [{ name: 'rps-activate', path: '/activate' }],
        changed: [{ name: 'mps', field: 'jwt', expected: true, actual: false }],
        unexpected: [],
      }),
    ).toEqual([
      { title: 'Missing routes', items: ['rps-activate /activate'] },
      {
        title: 'Routes that differ',
        items: ['mps — field jwt — expected true, found false'],
      },
    ]);
  });

  it('reads a plain list of strings and a single message', () => {
    expect(driftGroupsOf(['route /rps has no JWT plugin'])).toEqual([
      { title: 'Differences', items: ['route /rps has no JWT plugin'] },
    ]);
    expect(driftGroupsOf('stream 4433 terminates TLS')).toEqual([
      { title: 'Differences', items: ['stream 4433 terminates TLS'] },
    ]);
  });

  it('is empty when nothing drifted', () => {
    expect(driftGroupsOf(undefined)).toEqual([]);
    expect(driftGroupsOf([])).toEqual([]);
    expect(driftGroupsOf({ missing: [], unexpected: [] })).toEqual([]);
  });

  it('titles unknown groups readably', () => {
    expect(driftGroupsOf({ corsOrigins: ['*'] })).toEqual([
      { title: 'Cors origins', items: ['*'] },
    ]);
  });
});
