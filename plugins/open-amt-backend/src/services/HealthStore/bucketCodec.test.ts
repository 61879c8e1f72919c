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
});
