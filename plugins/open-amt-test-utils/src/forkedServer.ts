import { ChildProcess, fork } from 'node:child_process';
import type { InjectedFailure } from './contractServer';
import type { ForkableServerKind, ServerProcessMessage } from './serverProcess';

export interface ForkedContractServer {
  url: string;
  ca?: string;
  /** Tokens / test credentials the server accepts (Vault rootToken, Key Vault token, AWS credentials…). */
  extras: Record<string, unknown>;
  setLatency(ms: number): Promise<void>;
  failNext(kind: InjectedFailure, times?: number, path?: string): Promise<void>;
  /** Shallow-merges into the server's state (e.g. `{ sealed: true }`). */
  patchState(patch: Record<string, unknown>): Promise<void>;
  stats(): Promise<{ requestCount: number; connectionCount: number }>;
  close(): Promise<void>;
}

type Reply = { seq: number; ok: boolean; result?: any; error?: string };
type Distribute<T> = T extends unknown ? Omit<T, 'seq'> : never;

/**
 * A process hosting contract servers, for benchmarks: with the servers in-process, Node's HTTP cost of both
 * sides lands on one thread (about 1,100 exchanges/s on a 2-core machine); forked, the probes get a core.
 * The child loads TypeScript through sucrase's require hook.
 */
export class ContractServerProcess {
  private child: ChildProcess;
  private seq = 1;
  private pending = new Map<
    number,
    { resolve(v: any): void; reject(e: Error): void }
  >();
  private ready: Promise<void>;

  constructor() {
    // Resolved like a module (jest and the sucrase hook both know .ts), so no __dirname is needed.
    const entry = require.resolve('./serverProcess');
    this.child = fork(entry, [], {
      execArgv: ['-r', require.resolve('sucrase/register')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
      this.child.once('exit', code =>
        reject(new Error(`contract server process exited (${code})`)),
      );
    });
    this.child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.seq);
      if (!waiter) return;
      this.pending.delete(reply.seq);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
    });
  }

  private async call(msg: Distribute<ServerProcessMessage>): Promise<any> {
    await this.ready;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.child.send({ ...msg, seq });
    });
  }

  async start(
    kind: ForkableServerKind,
    options: Record<string, unknown> = {},
  ): Promise<ForkedContractServer> {
    const { id, url, ca, ...extras } = await this.call({
      type: 'start',
      kind,
      options,
    });
    return {
      url,
      ca,
      extras,
      setLatency: ms => this.call({ type: 'setLatency', id, ms }),
      failNext: (failure, times, onlyPath) =>
        this.call({
          type: 'failNext',
          id,
          kind: failure,
          times,
          path: onlyPath,
        }),
      patchState: patch => this.call({ type: 'patchState', id, patch }),
      stats: () => this.call({ type: 'stats', id }),
      close: () => this.call({ type: 'close', id }),
    };
  }

  /** Stops every server and the process. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>(resolve =>
      this.child.once('exit', () => resolve()),
    );
    this.child.disconnect();
    await exited;
  }
}
