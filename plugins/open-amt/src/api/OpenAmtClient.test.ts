import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { OpenAmtClient } from './OpenAmtClient';
import { deploymentHealth, deploymentSummary } from '../__testUtils__/fixtures';
import { registryWithAcme } from '../__testUtils__/acmeProviders';

const baseUrl = 'http://backend.test/api/open-amt';
const server = setupServer();
registerMswTestHooks(server);

function client(fetchImpl: typeof fetch = fetch) {
  return new OpenAmtClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://backend.test/api/${pluginId}`,
    },
    fetchApi: { fetch: fetchImpl },
  });
}

describe('OpenAmtClient', () => {
  it('lists deployments with repeated array parameters, search, sort and paging', async () => {
    let seen: URL | undefined;
    const page = {
      items: [deploymentSummary('a', 'healthy')],
      totalCount: 1,
      counts: { healthy: 1, degraded: 0, down: 0, unknown: 0 },
      page: 2,
      pageSize: 10,
    };
    server.use(
      http.get(`${baseUrl}/deployments`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json(page);
      }),
    );

    const result = await client().listDeployments({
      status: ['down', 'degraded'],
      provider: ['azure-sql'],
      owner: ['group:default/a&b'],
      target: ['aks', 'eks'],
      drift: ['behind'],
      attention: ['certificates-expiring', 'devices-dropped'],
      q: 'prod eu',
      sort: 'checkedAt',
      order: 'desc',
      page: 2,
      pageSize: 10,
    });

    expect(result).toEqual(page);
    expect(seen!.searchParams.getAll('status')).toEqual(['down', 'degraded']);
    expect(seen!.searchParams.getAll('provider')).toEqual(['azure-sql']);
    expect(seen!.searchParams.getAll('owner')).toEqual(['group:default/a&b']);
    expect(seen!.searchParams.getAll('target')).toEqual(['aks', 'eks']);
    expect(seen!.searchParams.getAll('drift')).toEqual(['behind']);
    expect(seen!.searchParams.getAll('attention')).toEqual([
      'certificates-expiring',
      'devices-dropped',
    ]);
    expect(seen!.searchParams.get('q')).toBe('prod eu');
    expect(seen!.searchParams.get('sort')).toBe('checkedAt');
    expect(seen!.searchParams.get('order')).toBe('desc');
    expect(seen!.searchParams.get('page')).toBe('2');
    expect(seen!.searchParams.get('pageSize')).toBe('10');
    // The ampersand in the owner must not split the parameter.
    expect(seen!.search).toContain('owner=group%3Adefault%2Fa%26b');
  });

  it('reads the provider registry from /providers, and throws the backend error when it fails', async () => {
    const answer = registryWithAcme();
    server.use(
      http.get(`${baseUrl}/providers`, () => HttpResponse.json(answer)),
    );
    expect(await client().listProviders()).toEqual(answer);
    server.use(
      http.get(`${baseUrl}/providers`, () =>
        HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
      ),
    );
    await expect(client().listProviders()).rejects.toBeInstanceOf(
      ResponseError,
    );
  });

  it('sends no query string when no filter is set', async () => {
    let url = '';
    server.use(
      http.get(`${baseUrl}/deployments`, ({ request }) => {
        url = request.url;
        return HttpResponse.json({
          items: [],
          totalCount: 0,
          counts: {},
          page: 0,
          pageSize: 20,
        });
      }),
    );
    await client().listDeployments();
    expect(url).toBe(`${baseUrl}/deployments`);
  });

  it('encodes namespace and name in deployment paths', async () => {
    const fetchSpy = jest.fn(fetch);
    const health = deploymentHealth({ name: 'a b' });
    server.use(
      http.get(`${baseUrl}/deployments/:namespace/:name`, ({ params }) =>
        params.namespace === 'team/x' && params.name === 'a b'
          ? HttpResponse.json(health)
          : new HttpResponse(null, { status: 400 }),
      ),
    );
    await expect(
      client(fetchSpy).getDeploymentHealth({
        namespace: 'team/x',
        name: 'a b',
      }),
    ).resolves.toEqual(health);
    expect(fetchSpy.mock.calls[0][0]).toBe(
      `${baseUrl}/deployments/team%2Fx/a%20b`,
    );
  });

  it('resolves undefined for a deployment that was not probed yet (404)', async () => {
    server.use(
      http.get(`${baseUrl}/deployments/default/new`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'not probed' } },
          { status: 404 },
        ),
      ),
    );
    await expect(
      client().getDeploymentHealth({ namespace: 'default', name: 'new' }),
    ).resolves.toBeUndefined();
  });

  it('maps server errors to ResponseError with the backend message', async () => {
    server.use(
      http.get(`${baseUrl}/deployments/default/broken`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'history store unavailable' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    const error = await client()
      .getDeploymentHealth({ namespace: 'default', name: 'broken' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    // ResponseErrorPanel shows the backend's own error from the parsed body.
    expect(error.body.error.message).toBe('history store unavailable');
    expect(error.cause.message).toBe('history store unavailable');
  });

  it('maps 403 on listing to a ResponseError', async () => {
    server.use(
      http.get(`${baseUrl}/deployments`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'denied' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client()
      .listDeployments()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });

  it('asks for history between two ISO timestamps', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/deployments/default/prod/history`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({
          entityRef: 'system:default/prod',
          from: seen.searchParams.get('from'),
          to: seen.searchParams.get('to'),
          buckets: [],
          transitions: [],
        });
      }),
    );
    const from = new Date('2026-11-24T12:00:00.000Z');
    const to = new Date('2026-11-25T12:00:00.000Z');
    const history = await client().getDeploymentHistory(
      { namespace: 'default', name: 'prod' },
      { from, to },
    );
    expect(seen!.searchParams.get('from')).toBe('2026-11-24T12:00:00.000Z');
    expect(seen!.searchParams.get('to')).toBe('2026-11-25T12:00:00.000Z');
    expect(history.from).toBe('2026-11-24T12:00:00.000Z');
  });

  it('POSTs a refresh and returns the fresh health', async () => {
    const health = deploymentHealth();
    let method = '';
    server.use(
      http.post(
        `${baseUrl}/deployments/default/prod-eu/refresh`,
        ({ request }) => {
          method = request.method;
          return HttpResponse.json({ accepted: true, health }, { status: 202 });
        },
      ),
    );
    const outcome = await client().refreshDeployment({
      namespace: 'default',
      name: 'prod-eu',
    });
    expect(method).toBe('POST');
    expect(outcome).toEqual({ accepted: true, health });
  });

  it('reports a rate-limited refresh (429) with Retry-After instead of throwing', async () => {
    server.use(
      http.post(`${baseUrl}/deployments/default/prod-eu/refresh`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'slow down' } },
          { status: 429, headers: { 'Retry-After': '42' } },
        ),
      ),
    );
    await expect(
      client().refreshDeployment({ namespace: 'default', name: 'prod-eu' }),
    ).resolves.toEqual({
      accepted: false,
      rateLimited: true,
      retryAfterSeconds: 42,
    });
  });

  it('throws on other refresh failures', async () => {
    server.use(
      http.post(
        `${baseUrl}/deployments/default/prod-eu/refresh`,
        () => new HttpResponse('nope', { status: 403 }),
      ),
    );
    await expect(
      client().refreshDeployment({ namespace: 'default', name: 'prod-eu' }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});
