import { runbookLocationOf } from './runbook';
import { systemEntity } from '../__testUtils__/fixtures';

describe('runbookLocationOf', () => {
  it('prefers a link titled Runbook', () => {
    const entity = systemEntity({
      links: [
        { url: 'https://wiki/x', title: 'Docs' },
        { url: 'https://git/x/README.md', title: 'Runbook' },
      ],
      annotations: { 'backstage.io/source-location': 'url:https://git/other/' },
    });
    expect(runbookLocationOf(entity)).toEqual({
      kind: 'url',
      url: 'https://git/x/README.md',
    });
  });

  it('uses README.md at the source location folder', () => {
    const entity = systemEntity({
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/acme/prod-eu/tree/main/',
      },
    });
    expect(runbookLocationOf(entity)).toEqual({
      kind: 'url',
      url: 'https://github.com/acme/prod-eu/tree/main/README.md',
    });
  });

  it('puts README.md beside a catalog file read from disk', () => {
    const entity = systemEntity({
      annotations: {
        'backstage.io/managed-by-location':
          'file:/srv/deployments/prod-eu/catalog-info.yaml',
      },
    });
    expect(runbookLocationOf(entity)).toEqual({
      kind: 'file',
      path: '/srv/deployments/prod-eu/README.md',
    });
  });

  it('returns undefined without any location', () => {
    expect(runbookLocationOf(systemEntity())).toBeUndefined();
  });
});
