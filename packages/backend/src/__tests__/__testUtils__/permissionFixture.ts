/*
 * A catalog and config for permission tests: deployments owned by the guest's group and by another team,
 * all probing one MPS stand-in the test switches between healthy and down, under the README's example policy.
 */
import { LATEST_TOOLKIT_RELEASE } from '@open-amt-backstage/plugin-open-amt-common';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import WebSocket from 'ws';
import { repoRoot, RunningBackend, token } from '../helpers/startBackend';

export const OWN = [
  'perm-own-1',
  'perm-own-2',
  'perm-own-3',
  'perm-own-4',
  'perm-own-5',
];
export const OTHERS = [
  'perm-other-1',
  'perm-other-2',
  'perm-other-3',
  'perm-other-4',
];

/** An MPS stand-in: GET /api/v1/health answers healthy or "secret store sealed" (down). */
export async function startMpsStandIn() {
  let healthy = true;
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/api/v1/version')) {
      res.end(JSON.stringify({ serviceVersion: '2.14.0' }));
      return;
    }
    res.statusCode = healthy ? 200 : 503;
    res.end(
      JSON.stringify({
        db: { name: 'postgres', status: 'OK' },
        secretStore: { name: 'vault', status: healthy ? 'OK' : 'sealed' },
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    setHealthy: (value: boolean) => {
      healthy = value;
    },
    /**
     * Flips between healthy and down every `ms` until stopped, so every sweep after a subscription finds a change:
     * a signal published before a connection subscribed is not the only chance.
     */
    keepChanging: (ms = 2500) => {
      const timer = setInterval(() => {
        healthy = !healthy;
      }, ms);
      return () => {
        clearInterval(timer);
        healthy = true;
      };
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const system = (name: string, owner: string, mpsUrl: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name,
    annotations: {
      'open-amt.io/deployment': name,
      'open-amt.io/simulated': 'true',
      'open-amt.io/target': 'compose',
      'open-amt.io/mps-url': mpsUrl,
      'open-amt.io/toolkit-release': LATEST_TOOLKIT_RELEASE.id,
    },
  },
  spec: { owner },
});

/** Writes the catalog and a config file; returns the config file's path (for startBackend). */
export function writePermissionFixture(
  mpsUrl: string,
  extraConfig: Record<string, unknown> = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oamt-permissions-'));
  const catalogFile = path.join(dir, 'catalog.yaml');
  const docs = [
    ...OWN.map(n => system(n, 'group:default/guests', mpsUrl)),
    ...OTHERS.map(n => system(n, 'group:default/other-team', mpsUrl)),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'other-team' },
      spec: { type: 'team', children: [] },
    },
  ];
  fs.writeFileSync(catalogFile, docs.map(d => stringify(d)).join('---\n'));
  const configFile = path.join(dir, 'app-config.permissions.yaml');
  const config = {
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(repoRoot, 'examples/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        {
          type: 'file',
          target: catalogFile,
          rules: [{ allow: ['System', 'Group'] }],
        },
      ],
    },
    openAmt: {
      demo: {
        standInStack: false,
        permissionPolicy: 'open-amt-example',
        platformTeam: 'group:default/platform-team',
      },
      health: {
        intervalSeconds: 2,
        jitterMs: 0,
        refreshRateLimitSeconds: 60,
        notifications: { enabled: false },
      },
    },
    ...extraConfig,
  };
  fs.writeFileSync(configFile, stringify(config));
  return configFile;
}

/** A guest user token, as the app gets it at sign-in. */
export async function guestToken(backend: RunningBackend): Promise<string> {
  const res = await fetch(
    `${backend.baseUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  if (!res.ok)
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

export const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });
export const serviceAuth = bearer(token);

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `timed out waiting for ${what}${
      last ? `: ${(last as Error).message}` : ''
    }`,
  );
}

/** A signals connection as the browser opens it (token as the WebSocket protocol), subscribed to `channel`. */
export async function connectSignals(
  backend: RunningBackend,
  userToken: string,
  channel: string,
) {
  const messages: { channel: string; message: any }[] = [];
  const ws = new WebSocket(
    `${backend.baseUrl.replace(/^http/, 'ws')}/api/signals`,
    userToken,
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', data => messages.push(JSON.parse(String(data))));
  ws.send(JSON.stringify({ action: 'subscribe', channel }));
  return { messages, close: () => ws.close() };
}

/** One MCP request (JSON-RPC over streamable HTTP) to the MCP actions backend; the answer may come as SSE. */
export async function mcp(
  backend: RunningBackend,
  method: string,
  params: Record<string, unknown>,
  auth?: Record<string, string>,
) {
  const res = await fetch(`${backend.baseUrl}/api/mcp-actions/v1`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...auth,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const text = await res.text();
  if (!res.ok) return { status: res.status, body: text };
  const json = res.headers.get('content-type')?.includes('text/event-stream')
    ? JSON.parse(
        text
          .split('\n')
          .filter(l => l.startsWith('data:'))
          .map(l => l.slice(5))
          .join(''),
      )
    : JSON.parse(text);
  return { status: res.status, body: json };
}
