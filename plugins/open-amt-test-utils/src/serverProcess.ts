/**
 * Child-process entry for forkContractServer(): runs contract servers in their own process so a benchmark's
 * client (the probes) and the servers do not share one CPU thread. Controlled over IPC.
 */
import { toError } from '@backstage/errors';
import type { ContractServer, InjectedFailure } from './contractServer';
import { startAwsServer } from './aws';
import { startKeyVaultServer } from './azureKeyVault';
import {
  startApiGatewayStageServer,
  startApimServer,
  startEspServer,
  startKongAdminServer,
  startTykServer,
} from './gateways';
import { startMpsServer, startRpsServer, startWebUiServer } from './services';
import { startVaultServer } from './vault';

export const FORKABLE_SERVERS = {
  vault: startVaultServer,
  keyVault: startKeyVaultServer,
  aws: startAwsServer,
  kong: startKongAdminServer,
  tyk: startTykServer,
  apim: startApimServer,
  apiGateway: startApiGatewayStageServer,
  esp: startEspServer,
  mps: startMpsServer,
  rps: startRpsServer,
  webui: startWebUiServer,
} as const;

export type ForkableServerKind = keyof typeof FORKABLE_SERVERS;

export type ServerProcessMessage =
  | {
      type: 'start';
      seq: number;
      kind: ForkableServerKind;
      options?: Record<string, unknown>;
    }
  | { type: 'setLatency'; seq: number; id: number; ms: number }
  | {
      type: 'failNext';
      seq: number;
      id: number;
      kind: InjectedFailure;
      times?: number;
      path?: string;
    }
  | {
      type: 'patchState';
      seq: number;
      id: number;
      patch: Record<string, unknown>;
    }
  | { type: 'stats'; seq: number; id: number }
  | { type: 'close'; seq: number; id: number };

const servers = new Map<number, ContractServer<any>>();
let nextId = 1;

/** Secrets a test needs to talk to the server (tokens, test credentials), without the server object itself. */
function extrasOf(server: ContractServer<any>): Record<string, unknown> {
  const { token, rootToken, credentials, keyId } = server as unknown as Record<
    string,
    unknown
  >;
  return { token, rootToken, credentials, keyId, ca: server.ca };
}

async function handle(msg: ServerProcessMessage): Promise<unknown> {
  if (msg.type === 'start') {
    const server = await (
      FORKABLE_SERVERS[msg.kind] as (
        o?: unknown,
      ) => Promise<ContractServer<any>>
    )(msg.options);
    const id = nextId++;
    servers.set(id, server);
    return { id, url: server.url, ...extrasOf(server) };
  }
  const server = servers.get(msg.id);
  if (!server) throw new Error(`no server ${msg.id}`);
  switch (msg.type) {
    case 'setLatency':
      server.setLatency(msg.ms);
      return {};
    case 'failNext':
      server.failNext(msg.kind, msg.times, msg.path);
      return {};
    case 'patchState':
      Object.assign(server.state, msg.patch);
      return {};
    case 'stats':
      return {
        requestCount: server.requestCount,
        connectionCount: server.connectionCount,
      };
    case 'close':
      servers.delete(msg.id);
      await server.close();
      return {};
    default:
      throw new Error('unknown message');
  }
}

if (process.send) {
  process.on('message', (msg: ServerProcessMessage) => {
    handle(msg).then(
      result => process.send!({ seq: msg.seq, ok: true, result }),
      error =>
        process.send!({
          seq: msg.seq,
          ok: false,
          error: toError(error).message,
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ seq: 0, ok: true, result: 'ready' });
}
