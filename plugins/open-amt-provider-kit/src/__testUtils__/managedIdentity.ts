import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * The managed identity endpoint of App Service / Container Apps (IDENTITY_ENDPOINT + IDENTITY_HEADER, api-version
 * 2019-08-01), which @azure/identity's DefaultAzureCredential uses when those variables are set: it answers with
 * `token` for the resource asked, to a caller presenting the header. Stands in for Azure's identity layer; the
 * Key Vault contract server checks the token's use.
 */
export async function startManagedIdentityEndpoint(token: string) {
  const header = randomUUID();
  const requests: Array<{ resource: string | null }> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ resource: url.searchParams.get('resource') });
    if (req.headers['x-identity-header'] !== header) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    /** The variables the identity library reads (upper case, as Azure sets them). */
    env: {
      IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`,
      IDENTITY_HEADER: header,
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
