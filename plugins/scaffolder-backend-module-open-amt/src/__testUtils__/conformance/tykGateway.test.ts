/**
 * The Tyk model against Tyk's own test vectors (TykTechnologies/tyk v5.8.1; file:line of each test below). The
 * vectors are data copied from those tests; the expected results are theirs, not ours.
 */
import {
  checkPortWhiteList,
  jwtAdmits,
  listenerOpens,
  loadPolicies,
  matchApi,
  singleJoiningSlash,
  sortByListenPath,
  stripListenPath,
  tcpService,
  TykApi,
  tykConfig,
} from './tykGateway';

const api = (listen_path: string, extra: Partial<TykApi> = {}): TykApi => ({
  api_id: `api${listen_path}`,
  proxy: { listen_path, target_url: 'http://upstream:80' },
  ...extra,
});

describe('Tyk model: routing (api_loader.go, proxy_muxer.go, internal/httputil)', () => {
  it('sorts listen paths as TestSortSpecsByListenPath (api_loader_test.go:9523-9565)', () => {
    const specs = [
      '/foo',
      '/foo-bar',
      '/foo-bar-baz',
      '/foo',
      '/bar',
      '/bar/{id}',
      '/bar/{id}/baz',
      '/bar/id/baz',
      '/bar/{id}/baz/{id}',
      '/path/{param}/endpoint',
      '/path/specific/endpoint',
    ].map(p => api(p));
    expect(sortByListenPath(specs).map(s => s.proxy.listen_path)).toEqual([
      '/path/specific/endpoint',
      '/path/{param}/endpoint',
      '/foo-bar-baz',
      '/bar/id/baz',
      '/bar/{id}/baz/{id}',
      '/bar/{id}/baz',
      '/foo-bar',
      '/bar/{id}',
      '/foo',
      '/foo',
      '/bar',
    ]);
    expect(
      sortByListenPath([
        api('/information-concept/something/{thisisalongidname}/stuff'),
        api('/information-concept/something/ted/stuff/things'),
      ]).map(s => s.proxy.listen_path),
    ).toEqual([
      '/information-concept/something/ted/stuff/things',
      '/information-concept/something/{thisisalongidname}/stuff',
    ]);
  });

  // TestHandleSubroutes (proxy_muxer_test.go:368-427), strict routes on: "/" needs a key (401), the others are
  // keyless (200); 404 is Tyk's own answer.
  const subroutes = [
    api('/', { use_keyless: false }),
    api('/apple', { use_keyless: true }),
    api('/apple/bottom', { use_keyless: false }),
    api('/bob/{name:.*}', { use_keyless: true }),
    api('/charlie/{name:.*}/suffix', { use_keyless: true }),
  ];
  const strict = tykConfig({});
  const code = (path: string) => {
    const m = matchApi(subroutes, strict, path);
    if ('notFound' in m) return 404;
    return m.api.use_keyless ? 200 : 401;
  };
  it.each([
    ['/', 401],
    ['/app', 401],
    ['/apple', 200],
    ['/apple/', 200],
    ['/apple/bot', 200],
    ['/apple/bottom', 401],
    ['/apple/bottom/', 401],
    ['/apple/bottom/jeans', 401],
    ['/applebottomjeans', 404],
    ['/apple-bottom-jeans', 404],
    ['/apple/bottom-jeans', 404],
    ['/bob', 401],
    ['/bob/', 200],
    ['/bob/name', 200],
    ['/bob/name/surname', 200],
    ['/bob/name/patronym/surname', 200],
    ['/charlie//suffix/', 401],
    ['/charlie/name/suffix', 200],
    ['/charlie/name/suffix/', 200],
    ['/charlie/name/suffix/foo', 200],
    ['/charlie/name/suffixfoo', 200],
    ['/charlie/name/name/suffix/foo', 200],
    ['/charlie/name/name/name/suffix/foo', 200],
  ])('TestHandleSubroutes %s → %d', (path, expected) => {
    expect(code(path)).toBe(expected);
  });

  it('strict routes answer only the listen path and its sub-paths (gateway_test.go:451-488 TestListenerWithStrictRoutes)', () => {
    const sample = [api('/sample', { use_keyless: true })];
    const status = (path: string) =>
      'notFound' in matchApi(sample, strict, path) ? 404 : 200;
    expect(
      ['/sample', '/samplefoo', '/sample/', '/sample/foo'].map(status),
    ).toEqual([200, 404, 200, 200]);
    // Without strict routes (gateway_test.go:412-448 TestListener, whose test config has none; the same paths): all 200.
    const loose = tykConfig({
      TYK_GW_HTTPSERVEROPTIONS_ENABLESTRICTROUTES: 'false',
    });
    expect(
      ['/sample', '/samplefoo', '/sample/', '/sample/foo'].map(p =>
        'notFound' in matchApi(sample, loose, p) ? 404 : 200,
      ),
    ).toEqual([200, 200, 200, 200]);
  });

  it('strips the listen path as TestStripListenPath (internal/httputil/mux_test.go:72-86)', () => {
    expect(stripListenPath('/listen', '/listen/get')).toBe('/get');
    expect(stripListenPath('/listen/', '/listen/get')).toBe('/get');
    expect(stripListenPath('listen', 'listen/get')).toBe('/get');
    expect(stripListenPath('listen/', 'listen/get')).toBe('/get');
    expect(stripListenPath('/listen/', '/listen/')).toBe('/');
    expect(stripListenPath('/listen', '/listen')).toBe('/');
    expect(stripListenPath('listen/', '')).toBe('/');
    expect(stripListenPath('/{_:.*}/post/', '/listen/post/get')).toBe('/get');
    expect(stripListenPath('/{_:.*}/', '/listen/get')).toBe('/get');
    expect(stripListenPath('/pre/{_:.*}/', '/pre/listen/get')).toBe('/get');
    expect(stripListenPath('/{_:.*}', '/listen')).toBe('/');
    expect(stripListenPath('/{myPattern:foo|bar}', '/foo/get')).toBe('/get');
    expect(stripListenPath('/{myPattern:foo|bar}', '/anything/get')).toBe(
      '/anything/get',
    );
  });

  it('joins target and request paths as TestSingleJoiningSlash (reverse_proxy_test.go:558-610)', () => {
    const off: Array<[string, string, string]> = [
      ['', '', ''],
      ['/', '', ''],
      ['', '/', ''],
      ['/', '/', ''],
      ['foo', '', 'foo'],
      ['foo', '/', 'foo'],
      ['foo', 'bar', 'foo/bar'],
      ['foo/', 'bar', 'foo/bar'],
      ['foo', '/bar', 'foo/bar'],
      ['foo/', '/bar', 'foo/bar'],
      ['foo//', '//bar', 'foo/bar'],
      ['foo', 'bar/', 'foo/bar/'],
      ['foo/', 'bar/', 'foo/bar/'],
      ['foo', '/bar/', 'foo/bar/'],
      ['foo/', '/bar/', 'foo/bar/'],
      ['foo//', '//bar/', 'foo/bar/'],
    ];
    for (const [a, b, want] of off)
      expect(singleJoiningSlash(a, b, false)).toBe(want);
    const on: Array<[string, string, string]> = [
      ['', '', ''],
      ['/', '', '/'],
      ['', '/', ''],
      ['/', '/', '/'],
      ['foo', '', 'foo'],
      ['foo', '/', 'foo'],
      ['foo/', '', 'foo/'],
      ['foo/', '/', 'foo/'],
      ['foo/', '/name', 'foo/name'],
      ['foo/', '/name/', 'foo/name/'],
      ['foo/', '//name', 'foo/name'],
      ['foo/', '//name/', 'foo/name/'],
    ];
    for (const [a, b, want] of on)
      expect(singleJoiningSlash(a, b, true)).toBe(want);
  });
});

describe('Tyk model: listeners (proxy_muxer.go, server.go)', () => {
  it('checks the port whitelist as TestCheckPortWhiteList (proxy_muxer_test.go:231-313)', () => {
    const port = 8080;
    const cases: Array<[string, number, boolean, any]> = [
      ['', port, true, undefined],
      ['http', port, false, { http: { ports: [port] } }],
      ['tls', port, true, undefined],
      ['tcp', port, false, { tcp: { ports: [port] } }],
      ['tls', port, false, { tls: { ports: [port] } }],
      ['tcp', port, true, { tls: { ports: [port] } }],
      ['tls', port, true, { tcp: { ports: [port] } }],
      [
        'tls',
        port,
        false,
        { tls: { ranges: [{ from: port - 1, to: port + 1 }] } },
      ],
      [
        'tcp',
        port,
        false,
        { tcp: { ranges: [{ from: port - 1, to: port + 1 }] } },
      ],
      ['http', 8090, false, { http: { ranges: [{ from: 8000, to: 9000 }] } }],
    ];
    for (const [protocol, p, fail, wl] of cases)
      expect(checkPortWhiteList(wl, p, protocol)).toBe(!fail);
  });

  it('whitelists the listen and control ports by themselves, and nothing else (server.go:1979-2000)', () => {
    const c = tykConfig({
      TYK_GW_LISTENPORT: '8443',
      TYK_GW_HTTPSERVEROPTIONS_USESSL: 'true',
      TYK_GW_CONTROLAPIPORT: '9696',
    });
    expect(listenerOpens(c, 8443, 'https')).toBe(true);
    expect(listenerOpens(c, 9696, 'https')).toBe(true);
    expect(listenerOpens(c, 4433, 'tcp')).toBe(false);
    expect(
      listenerOpens({ ...c, disablePortWhiteList: true }, 4433, 'tcp'),
    ).toBe(true);
    expect(
      listenerOpens(
        tykConfig({ TYK_GW_PORTWHITELIST: '{"tcp":{"ports":[4433]}}' }),
        4433,
        'tcp',
      ),
    ).toBe(true);
  });

  it('refuses a TCP service on the main listen port (proxy_muxer.go:226-234; TestTCP_missing_port)', () => {
    const tcp = api('', { protocol: 'tcp', listen_port: 8080 });
    tcp.proxy.target_url = 'tcp://mps:4433';
    const open = tykConfig({ TYK_GW_DISABLEPORTWHITELIST: 'true' });
    expect(tcpService([tcp], open, 8080)).toHaveProperty('refused');
    expect(
      tcpService([{ ...tcp, listen_port: 4433 }], open, 4433),
    ).toMatchObject({ host: 'mps', port: 4433 });
    // A tls API terminates TLS at Tyk (tcp/tcp.go:131-137): MPS must see the devices' own TLS.
    expect(
      tcpService([{ ...tcp, listen_port: 4433, protocol: 'tls' }], open, 4433),
    ).toMatchObject({
      refused: expect.stringMatching(/terminates the devices' TLS/),
    });
  });
});

describe('Tyk model: policies and JWT (policy.go, mw_jwt.go)', () => {
  const jwtApi: TykApi = {
    ...api('/mps'),
    org_id: 'default',
    enable_jwt: true,
    jwt_signing_method: 'hmac',
    jwt_source: 'c2VjcmV0',
    jwt_identity_base_field: 'user_id',
    jwt_policy_field_name: 'policy_id',
    jwt_default_policies: ['default'],
  };
  const token = {
    alg: 'HS256',
    claims: { user_id: 'user123', exp: 4102444800 },
  };
  const dir = (files: Record<string, unknown>) => () =>
    Object.entries(files).map(([name, content]) => ({
      name,
      content: JSON.stringify(content),
    }));
  const config = tykConfig({ TYK_GW_POLICIES_POLICYPATH: '/policies' });

  it('policy_path is a directory of one-policy files keyed by their id (policy.go:94-118; the Gateway API writes <id>.json there, api.go:937)', () => {
    const { policies } = loadPolicies(
      config,
      dir({ 'default.json': { id: 'default', org_id: 'default' } }),
      () => undefined,
    );
    expect([...policies.keys()]).toEqual(['default']);
    const map = loadPolicies(
      config,
      dir({ 'all.json': { default: { id: 'default', org_id: 'default' } } }),
      () => undefined,
    );
    expect(map.policies.has('default')).toBe(false);
  });

  it('a session takes its default policy only from the API org, with access to the API (mw_jwt.go:386-401, :790-811; mw_access_rights.go:27-37)', () => {
    const policy = {
      id: 'default',
      org_id: 'default',
      access_rights: { [jwtApi.api_id]: { versions: ['Default'] } },
    };
    const loaded = new Map([['default', policy]]);
    expect(jwtAdmits(jwtApi, loaded, token, true)).toBeUndefined();
    expect(
      jwtAdmits(
        jwtApi,
        new Map([['default', { ...policy, org_id: undefined }]]),
        token,
        true,
      ),
    ).toMatch(/org_id/);
    expect(
      jwtAdmits(
        jwtApi,
        new Map([['default', { ...policy, access_rights: { other: {} } }]]),
        token,
        true,
      ),
    ).toMatch(/grants no access/);
    expect(jwtAdmits(jwtApi, new Map(), token, true)).toMatch(/not loaded/);
    // The policy claim wins over the defaults (mw_jwt.go:244-248): a token naming another policy needs that one.
    expect(
      jwtAdmits(
        jwtApi,
        loaded,
        { ...token, claims: { ...token.claims, policy_id: 'gold' } },
        true,
      ),
    ).toMatch(/policy gold is not loaded/);
  });

  it('the identity as TestGetUserIDFromClaim (mw_jwt_test.go:2497-2548; mw_jwt.go:952-990), the alg as jwt_signing_method', () => {
    const loaded = new Map([['default', { id: 'default', org_id: 'default' }]]);
    const admits = (claims: Record<string, unknown>) =>
      jwtAdmits(jwtApi, loaded, { alg: 'HS256', claims }, true) === undefined;
    expect(admits({ user_id: '123', iss: 'example.com' })).toBe(true);
    expect(admits({ iss: 'example.com', sub: '123' })).toBe(true);
    expect(admits({ iss: 'example.com' })).toBe(false);
    expect(admits({ iss: 'example.com', sub: '' })).toBe(false);
    expect(admits({ iss: 'example.com', user_id: '' })).toBe(false);
    expect(
      jwtAdmits(
        jwtApi,
        loaded,
        { alg: 'RS256', claims: { user_id: 'u' } },
        true,
      ),
    ).toMatch(/refuses RS256/);
  });
});
