import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readHealthConfig } from './config';

const read = (health: JsonObject) =>
  readHealthConfig(new ConfigReader({ openAmt: { health } }));

describe('openAmt.health.liveUpdates.readers', () => {
  it('defaults to nobody and normalizes full user and group refs', () => {
    expect(read({}).liveUpdates.readers).toEqual([]);
    expect(
      read({
        liveUpdates: {
          readers: ['group:default/Platform-Team', ' user:ops/alice '],
        },
      }).liveUpdates.readers,
    ).toEqual(['group:default/platform-team', 'user:ops/alice']);
  });

  it('refuses anything but a full user or group ref, naming the entry', () => {
    expect(() =>
      read({ liveUpdates: { readers: ['group:default/ok', 'platform-team'] } }),
    ).toThrow(
      'openAmt.health.liveUpdates.readers[1] must be a full user or group entity ref',
    );
    expect(() =>
      read({ liveUpdates: { readers: ['system:default/x'] } }),
    ).toThrow(/readers\[0\]/);
  });
});
