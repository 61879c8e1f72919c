import net from 'net';

/** Opens and closes a TCP connection; rejects with a readable reason when nothing accepts it in time. */
export function assertTcpReachable(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`${host}:${port} ${why}`));
    };
    socket.setTimeout(timeoutMs, () =>
      fail(`did not answer within ${timeoutMs} ms`),
    );
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (e: NodeJS.ErrnoException) =>
      fail(`is unreachable (${e.code ?? e.message})`),
    );
  });
}
