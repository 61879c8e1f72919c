/**
 * The ESPv2 routing model against ESPv2's own test vectors (GoogleCloudPlatform/esp-v2 at v2.51.0), then the facts
 * the issue names, derived from it.
 */
import {
  espBackendPath,
  espMatch,
  espRouteOrder,
  espRouteRegex,
} from './espPathTemplates';
import { inject, rendered } from '../fixtures';
import { gatewayTrafficRule } from '../rules/gatewayTraffic';

describe('ESPv2 route regex (src/go/util/httppattern/uri_template_test.go TestUriTemplateRegex)', () => {
  // [uri, wantMatcher] of every case with the colon allowed in wildcards (ESPv2's default).
  const cases: Array<[string, string]> = [
    ['/shelves', '^/shelves\\/?$'],
    [
      '/shelves/{shelf_id}/books/{book.id}',
      '^/shelves/[^\\/]+/books/[^\\/]+\\/?$',
    ],
    [
      '/shelves/{shelf_id}/books/{book.id}:checkout',
      '^/shelves/[^\\/]+/books/[^\\/]+\\/?:checkout$',
    ],
    ['/test/*/test/**', '^/test/[^\\/]+/test/.*\\/?$'],
    ['/test/*/test/**:upload', '^/test/[^\\/]+/test/.*\\/?:upload$'],
    ['/test/{x=*}/test/{y=**}', '^/test/[^\\/]+/test/.*\\/?$'],
    ['/test/{name=*}/test/**', '^/test/[^\\/]+/test/.*\\/?$'],
    ['/v1/{name=books/*}', '^/v1/books/[^\\/]+\\/?$'],
    [
      '/v1/{test=a/b/*}/route/{resource_id=shelves/*/books/**}:upload',
      '^/v1/a/b/[^\\/]+/route/shelves/[^\\/]+/books/.*\\/?:upload$',
    ],
    ['/$discovery', '^/\\$discovery\\/?$'],
  ];
  it.each(cases)('%s', (uri, want) => {
    // Go's regexp.QuoteMeta escapes what JavaScript's does, except `/` (ours escapes it too): compare as regexes.
    expect(espRouteRegex(uri).replace(/\\\//g, '/')).toBe(
      want.replace(/\\\//g, '/'),
    );
  });
});

describe('ESPv2 route order (src/go/util/httppattern/sort_test.go TestSort)', () => {
  const cases: Array<[string, string[], string[]]> = [
    [
      'wildcard prefix',
      ['/**', '/**/a', '/**:verb'],
      ['/**/a', '/**:verb', '/**'],
    ],
    [
      'constant prefix',
      ['/foo', '/foo/a', '/foo:verb'],
      ['/foo', '/foo/a', '/foo:verb'],
    ],
    ['root prefix', ['/', '/**', '/foo'], ['/', '/foo', '/**']],
    [
      'constant with wildcard',
      [
        '/a/**/b/c',
        '/a/**/b',
        '/a/**',
        '/a/*/b/c',
        '/a/*/b',
        '/a/*',
        '/a/x/b/c',
        '/a/x/b',
        '/a/x',
        '/a',
      ],
      [
        '/a',
        '/a/x',
        '/a/x/b',
        '/a/x/b/c',
        '/a/*',
        '/a/*/b',
        '/a/*/b/c',
        '/a/**/b',
        '/a/**/b/c',
        '/a/**',
      ],
    ],
    [
      'various variable bindings',
      [
        '/a/{x}/c/d/e',
        '/{x=a/*}/b/{y=*}/c',
        '/a/{x=b/*}/{y=d/**}',
        '/alpha/{x=*}/beta/{y=**}/gamma',
        '/{x=*}/a',
        '/{x=**}/a/b',
        '/a/b/{x=*}',
        '/a/b/c/{x=**}',
        '/{x=*}/d/e/f/{y=**}',
      ],
      [
        '/a/b/c/{x=**}',
        '/a/b/{x=*}',
        '/a/{x=b/*}/{y=d/**}',
        '/{x=a/*}/b/{y=*}/c',
        '/a/{x}/c/d/e',
        '/alpha/{x=*}/beta/{y=**}/gamma',
        '/{x=*}/a',
        '/{x=*}/d/e/f/{y=**}',
        '/{x=**}/a/b',
      ],
    ],
    [
      'variable bindings with/without verb',
      [
        '/a/{y=*}:verb',
        '/a/{y=d/**}:verb',
        '/{x=*}/a:verb',
        '/{x=**}/b:verb',
        '/g/{x=**}/h:verb',
        '/a/{y=*}',
        '/a/{y=d/**}',
        '/{x=*}/a',
        '/{x=**}/b',
        '/g/{x=**}/h',
      ],
      [
        '/a/{y=d/**}:verb',
        '/a/{y=d/**}',
        '/a/{y=*}',
        '/a/{y=*}:verb',
        '/g/{x=**}/h',
        '/g/{x=**}/h:verb',
        '/{x=*}/a',
        '/{x=*}/a:verb',
        '/{x=**}/b',
        '/{x=**}/b:verb',
      ],
    ],
    [
      'deterministic order of exact match url template',
      ['/b/c/a', '/b/a/c', '/a/b/c', '/a/c/b'],
      ['/a/b/c', '/a/c/b', '/b/a/c', '/b/c/a'],
    ],
  ];
  it.each(cases)('%s', (_desc, patterns, sorted) => {
    expect(espRouteOrder(patterns)).toEqual(sorted);
  });
});

describe('ESPv2 backend path (src/envoy/http/path_rewrite/config_parser_impl_test.cc)', () => {
  it.each([
    ['PathPrefixBasic', '/foo', '/bar', '/foo/bar'],
    ['PathPrefixBasic', '/foo', '/bar?xyz=123', '/foo/bar?xyz=123'],
    ['PathPrefixRemoveLastSlash', '/foo/', '/bar', '/foo/bar'],
    ['PathPrefixRemoveLastSlash', '/foo/', '/bar?xyz=123', '/foo/bar?xyz=123'],
    ['PathPrefixBasicRoot', '/', '/bar?xyz=123', '/bar?xyz=123'],
  ] as const)('%s: prefix %s, %s → %s', (_d, prefix, request, want) => {
    expect(espBackendPath('APPEND_PATH_TO_ADDRESS', prefix, request)).toBe(
      want,
    );
  });

  it.each([
    ['ConstantPathNoUrlTemplate', '/foo', '/bar', [], '/foo'],
    ['ConstantPathNoUrlTemplate', '/foo', '/bar?xyz=123', [], '/foo?xyz=123'],
    [
      'ConstantPathUrlTemplate',
      '/foo',
      '/bar/567',
      [['abc', '567']],
      '/foo?abc=567',
    ],
    [
      'ConstantPathUrlTemplate',
      '/foo',
      '/bar/567?xyz=123',
      [['abc', '567']],
      '/foo?xyz=123&abc=567',
    ],
    [
      'ConstantPathNoUrlTemplateRemovedLastSlash',
      '/foo/',
      '/bar?xyz=123',
      [],
      '/foo?xyz=123',
    ],
    ['ConstantPathNoUrlTemplateRoot', '/', '/bar', [], '/'],
    ['ConstantPathNoUrlTemplateRoot', '/', '/bar?xyz=123', [], '/?xyz=123'],
  ] as const)('%s: path %s, %s → %s', (_d, path, request, params, want) => {
    expect(
      espBackendPath('CONSTANT_ADDRESS', path, request, params as never),
    ).toBe(want);
  });

  it('ConstantPathUrlTemplate binds the variable from the route it matched', () => {
    expect(espMatch(['/bar/{abc}'], '/bar/567')?.params).toEqual([
      ['abc', '567'],
    ]);
    expect(espMatch(['/bar/{abc}'], '/foo/bar')).toBeUndefined();
  });
});

describe('what follows for the routes we render (the issue: ESPv2 path templates)', () => {
  it('`/activate/{path=**}` does not match `/activate`, only what is below it', () => {
    expect(espMatch(['/activate/{path=**}'], '/activate')).toBeUndefined();
    expect(espMatch(['/activate/{path=**}'], '/activate/')?.template).toBe(
      '/activate/{path=**}',
    );
    expect(espMatch(['/activate/{path=**}'], '/activate/a/b')?.params).toEqual([
      ['path', 'a/b'],
    ]);
    expect(espMatch(['/{path=**}'], '/')?.template).toBe('/{path=**}');
  });

  it('path appending keeps the prefix: /mps/api/v1/devices goes to the backend as /mps/api/v1/devices', () => {
    // An address without a path has no rewrite for APPEND_PATH_TO_ADDRESS (filtergen/path_rewrite.go:163-169).
    expect(
      espBackendPath(
        'APPEND_PATH_TO_ADDRESS',
        '',
        '/mps/api/v1/devices?$top=1',
      ),
    ).toBe('/mps/api/v1/devices?$top=1');
  });
});

describe(`${gatewayTrafficRule.id}: the rendered Swagger under this model`, () => {
  it('a prefix route without its exact path sends rpc-go /activate to the Web UI', () => {
    const esp = rendered({
      database: 'postgresql',
      secrets: 'vault',
      gateway: 'google-cloud-endpoints',
      target: 'kubernetes',
    });
    const file = 'gateway/google-cloud-endpoints/openapi.yaml';
    expect(gatewayTrafficRule.check(esp)).toEqual([]);
    const defect = inject(esp, file, /\n {2}\/activate:\n(?: {4}.*\n)+/, '\n');
    expect(gatewayTrafficRule.check(defect).join('\n')).toMatch(
      /C1 rpc-go \/activate → GET \/\{path=\*\*\}: arrives at webui, must arrive at rps/,
    );
  });
});
