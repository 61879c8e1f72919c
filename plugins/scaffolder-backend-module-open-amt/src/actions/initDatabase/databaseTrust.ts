/**
 * The database's trust as the deployment has it: with `verify-full` and `database.caCertSecret`, the services verify
 * the server against the PEM under key `ca` of that store entry (resolve-secrets.sh writes it to
 * secrets/database-ca.pem, the ExternalSecret `database-ca` to the Secret); without it, against their runtime's own
 * CA store, which for MPS and RPS is Node's, as for this action. Our connections use the same material, so init
 * verifies exactly what the services will, and a missing or wrong CA fails here, naming the field, before any change.
 */
import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import type { SecretStoreAuth } from '@open-amt-backstage/plugin-open-amt-node';
import { InputError, toError } from '@backstage/errors';
import { X509Certificate } from 'crypto';
import { secretStoreRendererOf } from '../../render/providers';

const CA_FIELD = 'spec.database.caCertSecret';

/** Where the action finds the database's CA: the store entry and its key; undefined when it uses the default store. */
export function databaseCaSource(
  spec: DeploymentSpec,
): { entry: string; key: string } | undefined {
  const name = spec.database.caCertSecret;
  return spec.database.tlsMode === 'verify-full' && name
    ? { entry: name, key: 'ca' }
    : undefined;
}

/** The CA bundle (PEM) the deployment verifies its database with, or undefined when it uses the default store. */
export async function readDatabaseCa(
  spec: DeploymentSpec,
  auth: SecretStoreAuth,
): Promise<string | undefined> {
  const source = databaseCaSource(spec);
  if (!source) return undefined;
  const name = source.entry;
  let entry: Record<string, string> | undefined;
  try {
    entry = await secretStoreRendererOf(spec).adapter.read(
      spec.secrets,
      auth,
      name,
    );
  } catch (error) {
    throw new InputError(
      `${CA_FIELD}: cannot read ${name} from the secrets store: ${
        toError(error).message
      }`,
    );
  }
  const pem = entry?.[source.key];
  if (!pem)
    throw new InputError(
      `${CA_FIELD}: the store entry ${name} ${
        entry ? `has no key \`${source.key}\`` : 'does not exist'
      }: store the database server's CA bundle (PEM) there under the key \`ca\`, which the deployment's services read too`,
    );
  const blocks =
    pem.match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    ) ?? [];
  const bad = blocks.filter(b => {
    try {
      return !new X509Certificate(b);
    } catch {
      return true;
    }
  });
  if (blocks.length === 0 || bad.length)
    throw new InputError(
      `${CA_FIELD}: key \`ca\` of ${name} holds ${
        blocks.length
          ? `${bad.length} unreadable certificate(s)`
          : 'no PEM certificate'
      }`,
    );
  return pem;
}

/** Node's codes for a chain the client does not trust, and for a certificate not issued for the host. */
const UNTRUSTED = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
];
const WRONG_HOST = ['ERR_TLS_CERT_ALTNAME_INVALID'];
const EXPIRED = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'];

function codeIn(error: unknown, codes: string[]): string | undefined {
  for (
    let e = error as any, depth = 0;
    e && depth < 5;
    e = e.cause ?? e.originalError, depth++
  ) {
    const found = codes.find(
      c => e.code === c || String(e.message ?? '').includes(c),
    );
    if (found) return found;
  }
  return undefined;
}

/**
 * A verification failure of the server's certificate as an InputError naming the field to fix; other errors as they
 * are. Verification happens at the first connection, before the adapter changes anything.
 */
export function explainTlsFailure(
  spec: DeploymentSpec,
  error: unknown,
): unknown {
  const untrusted = codeIn(error, UNTRUSTED);
  if (untrusted) {
    const name = spec.database.caCertSecret;
    return new InputError(
      name
        ? `${CA_FIELD}: the database server's certificate is not signed by the CA in ${name} (key \`ca\`) (${untrusted}); the deployment's services would refuse it too`
        : `${CA_FIELD}: the database server's certificate is not signed by a CA of the default trust store (${untrusted}); store the server's CA bundle (PEM, key \`ca\`) in an entry and name it in database.caCertSecret, so the services and this action verify with it`,
    );
  }
  const wrongHost = codeIn(error, WRONG_HOST);
  if (wrongHost)
    return new InputError(
      `spec.database.host: the database server's certificate is not issued for ${spec.database.host} (${wrongHost}); verify-full checks the name the services connect to`,
    );
  const expired = codeIn(error, EXPIRED);
  if (expired)
    return new InputError(
      `spec.database.host: the certificate of the database server at ${spec.database.host} is not valid now (${expired})`,
    );
  return error;
}

/**
 * The health engine's database probe verifies with `databaseCa` of the deployment's probe entry (open-amt-backend
 * DeploymentProber): after init has verified the server with the deployment's CA, the probe entry carries the same
 * PEM. Returns true when it wrote (absent or different before); nothing when there is no probe entry yet.
 */
export async function syncProbeDatabaseCa(
  spec: DeploymentSpec,
  auth: SecretStoreAuth,
  probeEntryName: string,
  ca: string,
): Promise<boolean> {
  const store = secretStoreRendererOf(spec).adapter;
  const entry = await store.read(spec.secrets, auth, probeEntryName);
  if (!entry || entry.databaseCa === ca) return false;
  await store.write(
    spec.secrets,
    auth,
    { [probeEntryName]: { ...entry, databaseCa: ca } },
    { rotate: true },
  );
  return true;
}
