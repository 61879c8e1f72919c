import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import {
  ContractResponse,
  ContractServer,
  findClosedPortUrl,
  startContractServer,
  startSilentSocketServer,
  startWrongHostTlsServer,
} from '@open-amt-backstage/plugin-open-amt-test-utils';
import type { ProbeContext } from '../types';
import { createHostGuard, ResolveAll } from './hostGuard';
import {
  closeIdleProbeConnections,
  probeHttp,
  ProbeHttpFailure,
  ProbeHttpResult,
  sentThenOverlap,
} from './probeHttp';
import { failureToProbeResult } from './failures';

const TIMEOUT_MS = 400;
/** Slack over the budget for a classification to count as "within the timeout". */
const SLACK_MS = 150;

const realDnsExceptTestNames: ResolveAll = async host => {
  const fixed: Record<string, string> = {
    'pinned.example.com': '127.0.0.1',
    'metadata-alias.example.com': '169.254.169.254',
  };
  if (fixed[host]) return [{ address: fixed[host], family: 4 }];
  return (await lookup(host, { all: true })).map(a => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));
};

function ctx(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    timeoutMs: TIMEOUT_MS,
    guard: createHostGuard({
      allowedHosts: ['localhost', '127.0.0.1/8', '*.example.com', '*.invalid'],
      resolve: realDnsExceptTestNames,
    }),
    ...overrides,
  };
}

const faults: Array<{ fault: string; outcome: string; ms: number }> = [];
function record(fault: string, result: ProbeHttpResult) {
  faults.push({
    fault,
    outcome:
      result.kind === 'failure' ? result.failure : `HTTP ${result.status}`,
    ms: result.latencyMs,
  });
}

describe('probeHttp', () => {
  let server: ContractServer<{ hits: number }>;
  let other: ContractServer<{ hits: number }>;

  beforeAll(async () => {
    other = await startContractServer({ hits: 0 }, (req, s) => {
      s.hits++;
      return {
        status: 200,
        body: {
          path: req.path,
          authorization: req.headers.authorization ?? null,
        },
      };
    });
    server = await startContractServer({ hits: 0 }, (req): ContractResponse => {
      switch (req.path) {
        case '/json':
          return { status: 200, body: { ok: true } };
        case '/html':
          return {
            status: 200,
            headers: { 'content-type': 'text/html' },
            body: '<html>hi</html>',
          };
        case '/echo':
          return { status: 200, body: { method: req.method, body: req.body } };
        case '/redirect-local':
          return { status: 302, headers: { location: '/json' } };
        case '/redirect-metadata':
          return {
            status: 302,
            headers: {
              location: 'http://169.254.169.254/latest/meta-data/iam/',
            },
          };
        case '/redirect-metadata-name':
          return {
            status: 307,
            headers: {
              location: 'http://metadata-alias.example.com/computeMetadata/v1/',
            },
          };
        case '/redirect-outside':
          return { status: 301, headers: { location: 'http://192.168.77.1/' } };
        case '/redirect-other-origin':
          return {
            status: 302,
            headers: {
              location: `${other.url.replace(
                '127.0.0.1',
                'localhost',
              )}/landing`,
            },
          };
        case '/loop':
          return { status: 302, headers: { location: '/loop' } };
        default:
          return { status: 404, body: { error: 'not found' } };
      }
    });
  });

  afterAll(async () => {
    await server.close();
    await other.close();
    closeIdleProbeConnections();
    // The fault table for the report: fault → classification → time.
    process.stdout.write(
      `\nprobeHttp faults (budget ${TIMEOUT_MS} ms):\n${faults
        .map(
          f => `  ${f.fault.padEnd(34)} → ${f.outcome.padEnd(20)} ${f.ms} ms`,
        )
        .join('\n')}\n`,
    );
  });

  it('returns status, headers, text and parsed JSON', async () => {
    const res = await probeHttp(`${server.url}/json`, ctx(), {
      expectJson: true,
    });
    expect(res).toMatchObject({
      kind: 'response',
      status: 200,
      json: { ok: true },
      headers: { 'content-type': expect.stringMatching(/json/) },
      latencyMs: expect.any(Number),
    });
    const html = await probeHttp(`${server.url}/html`, ctx());
    expect(html).toMatchObject({
      kind: 'response',
      status: 200,
      body: '<html>hi</html>',
    });
    expect(html).not.toHaveProperty('json');
  });

  it('sends POST bodies', async () => {
    const res = await probeHttp(`${server.url}/echo`, ctx(), {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res).toMatchObject({
      kind: 'response',
      json: { method: 'POST', body: '{"a":1}' },
    });
  });

  it('connects to the address the guard checked (DNS pinned, no second lookup)', async () => {
    const port = new URL(server.url).port;
    const res = await probeHttp(
      `http://pinned.example.com:${port}/json`,
      ctx(),
      { expectJson: true },
    );
    expect(res).toMatchObject({ kind: 'response', status: 200 });
  });

  it('refuses hosts outside the allow-list and metadata addresses before connecting', async () => {
    const outside = await probeHttp('http://192.168.77.1/', ctx());
    expect(outside).toMatchObject({
      kind: 'failure',
      failure: 'host_not_allowed',
    });
    const metadata = await probeHttp(
      'http://169.254.169.254/latest/meta-data/',
      ctx({ guard: createHostGuard({ allowedHosts: ['*', '0.0.0.0/0'] }) }),
    );
    expect(metadata).toMatchObject({
      kind: 'failure',
      failure: 'host_not_allowed',
    });
    const alias = await probeHttp('http://metadata-alias.example.com/', ctx());
    expect(alias).toMatchObject({
      kind: 'failure',
      failure: 'host_not_allowed',
    });
    record('host resolving to 169.254.169.254', alias);
    const google = await probeHttp(
      'http://metadata.google.internal/computeMetadata/v1/',
      ctx({ guard: createHostGuard({ allowedHosts: ['*'] }) }),
    );
    expect(google).toMatchObject({
      kind: 'failure',
      failure: 'host_not_allowed',
    });
  });

  it('follows redirects within the allow-list and re-checks every hop', async () => {
    const local = await probeHttp(`${server.url}/redirect-local`, ctx(), {
      expectJson: true,
    });
    expect(local).toMatchObject({
      kind: 'response',
      status: 200,
      json: { ok: true },
    });

    for (const path of [
      '/redirect-metadata',
      '/redirect-metadata-name',
      '/redirect-outside',
    ]) {
      const res = await probeHttp(`${server.url}${path}`, ctx());
      expect(res).toMatchObject({
        kind: 'failure',
        failure: 'host_not_allowed',
      });
      record(`redirect ${path.slice(10)}`, res);
    }
  });

  it('names the refused redirect target and why, in the probe result an operator reads', async () => {
    const res = await probeHttp(`${server.url}/redirect-metadata`, ctx());
    expect(res.kind === 'failure' && res.message).toMatch(
      /^redirected to http:\/\/169\.254\.169\.254\/.*, which was not followed: 169\.254\.169\.254 is a link-local/,
    );
    const result = failureToProbeResult(
      `MPS at ${server.url}`,
      res as ProbeHttpFailure,
    );
    expect(result.message).toContain('169.254.169.254');
    expect(result.message).toMatch(/link-local/);
    expect(result.details).toMatchObject({
      refused: expect.stringContaining('169.254.169.254'),
    });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const res = await probeHttp(`${server.url}/redirect-other-origin`, ctx(), {
      headers: { authorization: 'Bearer secret' },
      expectJson: true,
    });
    expect(res).toMatchObject({
      kind: 'response',
      json: { path: '/landing', authorization: null },
    });
  });

  it('stops after 3 redirects', async () => {
    const res = await probeHttp(`${server.url}/loop`, ctx());
    expect(res).toMatchObject({
      kind: 'failure',
      failure: 'too_many_redirects',
    });
  });

  it('times out on a socket that accepts and never answers, within the budget', async () => {
    const silent = await startSilentSocketServer();
    try {
      const res = await probeHttp(`${silent.url}/api/v1/health`, ctx());
      expect(res).toMatchObject({ kind: 'failure', failure: 'timeout' });
      expect(res.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(res.latencyMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      record('silent socket', res);
    } finally {
      await silent.close();
    }
  });

  it('classifies a certificate for another host as a TLS error', async () => {
    const tls = await startWrongHostTlsServer();
    try {
      const res = await probeHttp(`${tls.url}/`, ctx(), { ca: tls.ca });
      expect(res).toMatchObject({
        kind: 'failure',
        failure: 'tls_error',
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
      expect(res.latencyMs).toBeLessThan(TIMEOUT_MS);
      record('TLS certificate for wrong host', res);
      const untrusted = await probeHttp(`${tls.url}/`, ctx());
      expect(untrusted).toMatchObject({
        kind: 'failure',
        failure: 'tls_error',
      });
      record(`TLS self-signed, not trusted`, untrusted);
    } finally {
      await tls.close();
    }
  });

  it('classifies a name that does not resolve as a DNS failure', async () => {
    const res = await probeHttp(
      'http://open-amt-probe-test.invalid/',
      ctx({ timeoutMs: 3000 }),
    );
    expect(res).toMatchObject({ kind: 'failure', failure: 'dns_failure' });
    expect(res.latencyMs).toBeLessThan(3000);
    record('DNS failure (.invalid)', res);
  });

  it('classifies a closed port as connection refused', async () => {
    const res = await probeHttp(`${await findClosedPortUrl()}/`, ctx());
    expect(res).toMatchObject({
      kind: 'failure',
      failure: 'connection_refused',
      code: 'ECONNREFUSED',
    });
    record('connection refused', res);
  });

  it('hands 5xx back as a response (adapters decide what it means)', async () => {
    server.failNext(503);
    const res = await probeHttp(`${server.url}/json`, ctx());
    expect(res).toMatchObject({ kind: 'response', status: 503 });
    record('HTTP 503', res);
  });

  it('classifies a body that is not JSON when JSON is expected', async () => {
    server.failNext('invalid-json');
    const res = await probeHttp(`${server.url}/json`, ctx(), {
      expectJson: true,
    });
    expect(res).toMatchObject({ kind: 'failure', failure: 'invalid_json' });
    record('invalid JSON', res);
  });

  it('cuts off a 10 MB body at the cap without reading it all', async () => {
    server.failNext('huge-body');
    const res = await probeHttp(`${server.url}/json`, ctx({ timeoutMs: 2000 }));
    expect(res).toMatchObject({ kind: 'failure', failure: 'body_too_large' });
    expect(res.latencyMs).toBeLessThan(2000);
    record('10 MB body (cap 1 MiB)', res);
    // The server is still usable afterwards.
    await expect(probeHttp(`${server.url}/json`, ctx())).resolves.toMatchObject(
      { status: 200 },
    );
  });

  it('classifies a connection reset', async () => {
    // Twice: a reset on a pooled socket is sent once more on a fresh one (see the pooled-connection test below).
    server.failNext('reset', 2);
    const res = await probeHttp(`${server.url}/json`, ctx());
    expect(res).toMatchObject({ kind: 'failure', failure: 'connection_reset' });
    record('connection reset', res);
  });

  it('honours an outer abort signal', async () => {
    const silent = await startSilentSocketServer();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const res = await probeHttp(
        silent.url,
        ctx({ signal: controller.signal }),
      );
      expect(res).toMatchObject({ kind: 'failure', failure: 'aborted' });
      expect(res.latencyMs).toBeLessThan(TIMEOUT_MS);
    } finally {
      await silent.close();
    }
  });

  it('overlaps a follow-up request with the first, in order, and skips it when the first was never sent', async () => {
    const slow = await startContractServer(
      { hits: 0 },
      req => ({ status: 200, body: { path: req.path } }),
      { latencyMs: 400 },
    );
    try {
      const started = Date.now();
      const exchange = sentThenOverlap(
        onSent =>
          probeHttp(`${slow.url}/first`, ctx({ timeoutMs: 3000 }), {
            expectJson: true,
            onSent,
          }),
        () =>
          probeHttp(`${slow.url}/second`, ctx({ timeoutMs: 3000 }), {
            expectJson: true,
          }),
      );
      expect(await exchange.first).toMatchObject({
        status: 200,
        json: { path: '/first' },
      });
      expect(await exchange.next).toMatchObject({
        status: 200,
        json: { path: '/second' },
      });
      // One latency for both (two would be 800 ms), and the server saw them in order.
      expect(Date.now() - started).toBeLessThan(750);
      expect(slow.requests.map(r => r.path)).toEqual(['/first', '/second']);

      const refused = sentThenOverlap(
        onSent => probeHttp('http://192.168.77.1/', ctx(), { onSent }),
        () => probeHttp(`${slow.url}/never`, ctx()),
      );
      expect(await refused.first).toMatchObject({
        kind: 'failure',
        failure: 'host_not_allowed',
      });
      expect(await refused.next).toBeUndefined();
      expect(slow.requests.map(r => r.path)).not.toContain('/never');
    } finally {
      await slow.close();
    }
  });

  it('rejects URLs that are not http(s)', async () => {
    await expect(probeHttp('file:///etc/passwd', ctx())).resolves.toMatchObject(
      { kind: 'failure', failure: 'invalid_url' },
    );
  });
});

describe('probeHttp on a pooled connection the server has closed', () => {
  afterEach(() => closeIdleProbeConnections());

  it('sends the request again on a fresh connection (Node: ECONNRESET on a reused socket)', async () => {
    // Answers the first request on each connection with keep-alive, then drops the connection when a second one
    // arrives on it without answering: what a server does that closes an idle keep-alive socket as it is reused.
    let connections = 0;
    const server = createServer(socket => {
      connections += 1;
      let requests = 0;
      socket.on('data', chunk => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        requests += 1;
        if (requests > 1) {
          socket.destroy();
          return;
        }
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{"ok":true}',
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${
      (server.address() as { port: number }).port
    }/x`;
    try {
      const first = await probeHttp(url, ctx({ timeoutMs: 2000 }));
      const second = await probeHttp(url, ctx({ timeoutMs: 2000 }));
      expect(first).toMatchObject({ status: 200 });
      expect(second).toMatchObject({ status: 200 });
      // The second exchange went out on the pooled socket first, then on a new one.
      expect(connections).toBe(2);
    } finally {
      server.close();
    }
  });
});

describe('probeHttp reads the headers it needs from the raw list', () => {
  afterEach(() => closeIdleProbeConnections());

  /** A server writing its responses byte for byte, header names in whatever case the test gives. */
  async function rawServer(answers: Record<string, string>) {
    const asked: string[] = [];
    const server = createServer(socket => {
      let buffered = '';
      socket.on('data', chunk => {
        buffered += chunk.toString('latin1');
        let end = buffered.indexOf('\r\n\r\n');
        while (end >= 0) {
          const path = buffered.split(' ')[1];
          buffered = buffered.slice(end + 4);
          asked.push(path);
          socket.write(
            answers[path] ??
              'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
          );
          end = buffered.indexOf('\r\n\r\n');
        }
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${
      (server.address() as { port: number }).port
    }`;
    return { url, asked, close: () => server.close() };
  }

  it('matches names in any case, takes the first of a repeated header, and still hands every header over', async () => {
    const body = '{"ok":true}';
    const server = await rawServer({
      '/json': `HTTP/1.1 200 OK\r\nCONTENT-TYPE: Application/JSON; charset=utf-8\r\nContent-Type: text/html\r\nX-Custom: kept\r\ncontent-LENGTH: ${body.length}\r\n\r\n${body}`,
      '/moved':
        'HTTP/1.1 302 Found\r\nLOCATION: /json\r\nContent-Length: 0\r\n\r\n',
      '/huge': 'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 99999999\r\n\r\n',
    });
    try {
      const json = await probeHttp(`${server.url}/json`, ctx());
      expect(json).toMatchObject({ status: 200, json: { ok: true } });
      expect(json.kind === 'response' && json.headers['x-custom']).toBe('kept');
      const moved = await probeHttp(`${server.url}/moved`, ctx());
      expect(moved).toMatchObject({
        status: 200,
        url: `${server.url}/json`,
        json: { ok: true },
      });
      // The body is never sent: only the declared length can end this before the budget.
      const huge = await probeHttp(
        `${server.url}/huge`,
        ctx({ timeoutMs: 5000 }),
      );
      expect(huge).toMatchObject({
        kind: 'failure',
        failure: 'body_too_large',
      });
    } finally {
      server.close();
    }
  });

  it('starts again at the URL asked for, not where a redirect of an earlier probe led', async () => {
    const server = await rawServer({
      '/json':
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      '/moved':
        'HTTP/1.1 302 Found\r\nLocation: /json\r\nContent-Length: 0\r\n\r\n',
    });
    try {
      await probeHttp(`${server.url}/moved`, ctx());
      await probeHttp(`${server.url}/moved`, ctx());
      expect(server.asked).toEqual(['/moved', '/json', '/moved', '/json']);
    } finally {
      server.close();
    }
  });
});
