import { toError } from '@backstage/errors';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DEMO_COMPONENTS,
  DEMO_HOST,
  DEMO_STACK_SERVICE,
  DemoComponent,
} from './ports';
import type { StandInStack } from './standInStack';
import { parseCertificatesRequest } from './certificatesRequest';
import { parseDevicesRequest } from './devicesRequest';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const COMPONENT_ALIASES: Record<string, DemoComponent> = Object.fromEntries([
  ...DEMO_COMPONENTS.map(c => [c, c] as const),
  ['kong', 'gateway'],
  ['mps-router', 'mpsrouter'],
  ['web-ui', 'webui'],
]);

const HELP = {
  service: DEMO_STACK_SERVICE,
  routes: [
    'GET  /control/status',
    'POST /control/vault/seal | /control/vault/unseal',
    `POST /control/<component>/stop | /control/<component>/start  (component: ${DEMO_COMPONENTS.join(
      ', ',
    )})`,
    'POST /control/devices {"connected": n, "total": m}  (devices MPS knows and how many are connected)',
    'POST /control/certificates {"daysLeft": n}  (when the demo ACM domain\'s provisioning certificate expires; negative: expired)',
    'POST /control/reset  (everything running and unsealed, devices and certificates as at start)',
  ],
};

/**
 * Small HTTP API to make a stand-in fail and recover (tests, and people trying the portal). Loopback only
 * and without authentication: it controls simulated components of a local demo, nothing real.
 */
export async function startControlServer(
  stack: StandInStack,
  port: number,
  host = DEMO_HOST,
): Promise<ControlServer> {
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const body = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        // A control request is a few bytes; anything large is not one.
        if (size > 4096) req.destroy(new Error('body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    const status = () => ({ service: DEMO_STACK_SERVICE, ...stack.status() });
    try {
      if (req.method === 'GET' && (path === '' || path === '/control'))
        return send(200, HELP);
      if (req.method === 'GET' && path === '/control/status')
        return send(200, status());
      if (req.method !== 'POST')
        return send(405, { error: 'use POST for actions', ...HELP });
      if (path === '/control/devices') {
        const parsed = parseDevicesRequest(await body, stack.status().devices);
        if ('error' in parsed) return send(400, { error: parsed.error });
        stack.setDevices(parsed);
        return send(200, status());
      }
      if (path === '/control/certificates') {
        const parsed = parseCertificatesRequest(await body);
        if ('error' in parsed) return send(400, { error: parsed.error });
        stack.setProvisioningCertificate(parsed.daysLeft);
        return send(200, status());
      }
      if (path === '/control/reset') {
        await stack.reset();
        return send(200, status());
      }
      const match = /^\/control\/([a-z-]+)\/(seal|unseal|stop|start)$/.exec(
        path,
      );
      const component = match && COMPONENT_ALIASES[match[1]];
      if (!match || !component)
        return send(404, { error: `unknown action ${path}`, ...HELP });
      const action = match[2];
      if (action === 'seal' || action === 'unseal') {
        if (component !== 'vault')
          return send(400, { error: 'only the vault can be sealed' });
        if (action === 'seal') stack.seal();
        else stack.unseal();
      } else if (action === 'stop') {
        await stack.stop(component);
      } else {
        await stack.start(component);
      }
      return send(200, status());
    } catch (error) {
      return send(500, { error: toError(error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** True when a demo stack's control API answers at `url` (another process already runs the stack). */
export async function standInStackAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/control/status`, {
      signal: AbortSignal.timeout(1500),
    });
    const body = (await res.json()) as { service?: string };
    return res.ok && body.service === DEMO_STACK_SERVICE;
  } catch {
    return false;
  }
}
