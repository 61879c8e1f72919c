import { decodeBucket, encodeBucket, mergeBucket } from './bucketCodec';
import { decodeSketch } from './latencySketch';

/** A bucket as stored before the CIRA endpoint existed: mps (index 0), database (4), gateway (6). */
const STORED_BEFORE_CIRA = '0:3,3,25*3;4:3,0,;6:2,2,27.28';

describe('bucketCodec', () => {
  it('reads history stored with seven components as the same components', () => {
    const data = decodeBucket(STORED_BEFORE_CIRA);
    expect([...data.keys()]).toEqual(['mps', 'database', 'gateway']);
    expect(data.get('database')).toMatchObject({ samples: 3, up: 0 });
    expect(data.get('gateway')!.latency).toEqual(decodeSketch('27.28'));
  });

  it('appends the CIRA endpoint as index 7, leaving the stored indexes as they were', () => {
    const data = decodeBucket(STORED_BEFORE_CIRA);
    mergeBucket(
      data,
      new Map([['cira', { samples: 1, up: 1, latency: decodeSketch('30') }]]),
    );
    expect(encodeBucket(data)).toBe(`${STORED_BEFORE_CIRA};7:1,1,30`);
  });

  it("keeps the devices row's counts, the newest in a bucket, and reads buckets stored without them", () => {
    const data = decodeBucket(STORED_BEFORE_CIRA);
    const devices = (connected: number) =>
      new Map([
        [
          'devices' as const,
          {
            samples: 1,
            up: 1,
            latency: decodeSketch('30'),
            gauges: { connectedCount: connected, totalCount: 5 },
          },
        ],
      ]);
    mergeBucket(data, devices(3));
    mergeBucket(data, devices(1));
    const stored = encodeBucket(data);
    expect(stored).toBe(`${STORED_BEFORE_CIRA};8:2,2,30*2,1/5`);
    expect(decodeBucket(stored).get('devices')).toMatchObject({
      samples: 2,
      gauges: { connectedCount: 1, totalCount: 5 },
    });
    // A component without gauges keeps three fields; an unknown value stays unknown.
    expect(decodeBucket('8:1,1,30').get('devices')).not.toHaveProperty(
      'gauges',
    );
    expect(decodeBucket('8:1,1,30,/4').get('devices')?.gauges).toEqual({
      totalCount: 4,
    });
  });
});
