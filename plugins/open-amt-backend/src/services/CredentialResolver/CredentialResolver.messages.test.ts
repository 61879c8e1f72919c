/*
 * What a database row says when its probe credentials cannot be read: one sentence naming the reference once, what
 * went wrong and what to do — not the resolver's, the adapter's and the transport's messages chained with ': '.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  AnySecretStoreAdapter,
  secretStoreAdapters,
} from '@open-amt-backstage/plugin-open-amt-node';
import net from 'node:net';
import { CredentialResolver } from './CredentialResolver';
import { createOwnIdentity } from './ownIdentity';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

function resolverFor(address: string) {
  const secretStores = { vault: { address, token: 'portal-token' } };
  return new CredentialResolver({
    identity: createOwnIdentity(secretStores),
    secretStores,
    logger: mockServices.logger.mock(),
  });
}

const failureOf = (resolver: CredentialResolver, ref: string) =>
  resolver.resolve(ref).then(
    () => {
      throw new Error(`${ref} was read`);
    },
    (error: Error) => error.message,
  );

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** One sentence: ends in one period, says what to do after one semicolon, chains no failure messages with ': '. */
function expectOneSentence(message: string, ref: string) {
  expect(message.endsWith('.')).toBe(true);
  expect(occurrences(message, ref)).toBe(1);
  expect(occurrences(message, '; ')).toBe(1);
  expect(message).not.toMatch(/(failed|error|refused|read|reference|\)): /i);
}

describe('probe credentials that cannot be read', () => {
  const ref = 'vault:secret/open-amt/prod-eu-probe';

  it('name the store that did not answer, the reference and what to check, once each', async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const message = await failureOf(resolverFor(address), ref);
    expect(message).toBe(
      `Vault at ${address} refused the connection (nothing listening) (ECONNREFUSED) when reading ${ref}; check that the portal reaches that store and may read the entry.`,
    );
    expectOneSentence(message, ref);
    expect(occurrences(message, 'refused')).toBe(1);
  });

  it("say which reference is malformed and why, without the parser's own lead", async () => {
    const resolver = resolverFor('http://127.0.0.1:8200');
    const unknown = await failureOf(resolver, 'acme:fleet/x');
    expect(unknown).toBe(
      'open-amt.io/credentials-ref acme:fleet/x is not a reference this portal can read (unknown store (expected vault:, azure-key-vault: or aws-kms:)); set it to the reference open-amt:secrets:provision wrote.',
    );
    expectOneSentence(unknown, 'acme:fleet/x');
  });

  it('say when the store is not one the portal reads, and where to configure it', async () => {
    const message = await failureOf(
      resolverFor('http://127.0.0.1:8200'),
      'azure-key-vault:https://other.vault.azure.net/prod-eu-probe',
    );
    expect(message).toMatch(
      /^the portal does not read azure-key-vault:https:\/\/other\.vault\.azure\.net\/prod-eu-probe because .*; configure that store in openAmt\.health\.secretStores if the portal may read it\.$/,
    );
  });

  it("add the reference to an added store's message that does not name it", async () => {
    const acme = {
      provider: 'acme-secrets',
      locate: (r: string) => ({
        spec: { provider: 'acme-secrets', url: 'https://acme.example.com' },
        name: r.slice('acme-secrets:'.length),
      }),
      read: async () => {
        throw new Error('the Acme store is sealed');
      },
      portalIdentity: {
        configKey: 'acme',
        readConfig: () => ({}),
        refusal: () => undefined,
        credentials: () => ({
          authFor: async () => ({ kind: 'custom', credential: {} }),
        }),
      },
    } as unknown as AnySecretStoreAdapter;
    const adapters = { ...secretStoreAdapters, 'acme-secrets': acme };
    const secretStores = { acme: {} };
    const resolver = new CredentialResolver({
      identity: createOwnIdentity(secretStores, Date.now, adapters),
      secretStores,
      logger: mockServices.logger.mock(),
      adapters,
    });
    const acmeRef = 'acme-secrets:prod-eu-probe';
    const message = await failureOf(resolver, acmeRef);
    expect(message).toBe(
      `the Acme store is sealed when the portal read the probe credentials ${acmeRef}; check that the portal reaches that store and may read the entry.`,
    );
    expectOneSentence(message, acmeRef);
  });
});
