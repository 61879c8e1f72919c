import { createServer, type AddressInfo, type Socket } from 'net';
import type { TestServer } from './servers';

/*
 * A minimal SQL Server stand-in (TDS 7.4, MS-TDS spec sections 2.2.6.4 PRELOGIN and 2.2.7.10 ERROR):
 * answers PRELOGIN with "encryption not supported" and every LOGIN7 with one ERROR token, the way a real
 * server rejects a login. Enough to drive the real tedious/mssql client into its ELOGIN path.
 */

function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt8(0x01, 1); // end of message
  header.writeUInt16BE(payload.length + 8, 2);
  header.writeUInt8(1, 6); // packet id
  return Buffer.concat([header, payload]);
}

function preloginResponse(): Buffer {
  const options = Buffer.alloc(11);
  options.writeUInt8(0x00, 0); // VERSION
  options.writeUInt16BE(11, 1);
  options.writeUInt16BE(6, 3);
  options.writeUInt8(0x01, 5); // ENCRYPTION
  options.writeUInt16BE(17, 6);
  options.writeUInt16BE(1, 8);
  options.writeUInt8(0xff, 10);
  const version = Buffer.from([16, 0, 0x10, 0x00, 0, 0]);
  return packet(
    0x04,
    Buffer.concat([
      options,
      version,
      Buffer.from([0x02 /* ENCRYPT_NOT_SUP */]),
    ]),
  );
}

function ucs2(text: string, lengthBytes: 1 | 2): Buffer {
  const body = Buffer.from(text, 'utf16le');
  const len = Buffer.alloc(lengthBytes);
  if (lengthBytes === 1) len.writeUInt8(text.length, 0);
  else len.writeUInt16LE(text.length, 0);
  return Buffer.concat([len, body]);
}

function loginError(number: number, message: string): Buffer {
  const fields = Buffer.concat([
    (() => {
      const b = Buffer.alloc(6);
      b.writeUInt32LE(number, 0);
      b.writeUInt8(1, 4); // state
      b.writeUInt8(14, 5); // class
      return b;
    })(),
    ucs2(message, 2),
    ucs2('fake-sql', 1),
    ucs2('', 1),
    Buffer.alloc(4), // line number
  ]);
  const token = Buffer.alloc(3);
  token.writeUInt8(0xaa, 0);
  token.writeUInt16LE(fields.length, 1);
  const done = Buffer.alloc(13);
  done.writeUInt8(0xfd, 0);
  done.writeUInt16LE(0x0002, 1); // DONE_ERROR
  return packet(0x04, Buffer.concat([token, fields, done]));
}

export async function startFailingTdsServer(error: {
  number: number;
  message: string;
}): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer(socket => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data: Buffer) => {
      const type = data.readUInt8(0);
      if (type === 0x12) socket.write(preloginResponse());
      else if (type === 0x10)
        socket.end(loginError(error.number, error.message));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
