/**
 * Compose has no secret operator, so env files hold references (`MPS_JWT_SECRET_REF=<store ref>#secret`)
 * and scripts/resolve-secrets.sh — run by the operator on the VM, with their own store login — writes
 * the values into secrets/<service>.env (git-ignored, mode 600) and fills the gateway's credential
 * template. Nothing in the repository holds a value.
 */
import { servesOwnTls } from './gatewayTls';
import { databaseCaFile } from '../secrets/databaseTls';
import { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf, secretStoreRendererOf } from './providers';
import { gatewayTlsEntry, SecretEntryKind } from '../secrets/entries';
import { EnvVar, serviceEnv, ServiceId, SERVICE_IDS } from './env';
import { secretRef } from './refs';
import { scriptHeader } from './shellScript';
import { RenderedFile } from './types';

type SecretVar = Extract<EnvVar, { secret: unknown }>;
const isSecret = (v: EnvVar): v is SecretVar => 'secret' in v;

export function secretEnvVars(
  spec: DeploymentSpec,
  service: ServiceId,
): SecretVar[] {
  return serviceEnv(spec, service).filter(isSecret);
}

export function refEnvFile(
  spec: DeploymentSpec,
  service: ServiceId,
): RenderedFile {
  const lines = secretEnvVars(spec, service).map(
    v => `${v.name}_REF=${secretRef(spec, v.secret.kind, v.secret.key)}`,
  );
  return {
    path: `env/${service}.env`,
    content: `# References only: scripts/resolve-secrets.sh turns them into secrets/${service}.env on the host.\n${lines.join(
      '\n',
    )}\n`,
  };
}

export function resolveSecretsScript(
  spec: DeploymentSpec,
  owners: Array<{ path: string; owner?: string; service: string }> = [],
): RenderedFile {
  const store = secretStoreRendererOf(spec);
  const kinds = new Set<SecretEntryKind>();
  SERVICE_IDS.forEach(s =>
    secretEnvVars(spec, s).forEach(v => kinds.add(v.secret.kind)),
  );
  const gateway = gatewayRendererOf(spec);
  if (gateway.jwtConfig) kinds.add('jwt');
  const lines = [
    ...scriptHeader(
      `Resolves the secret references of ${spec.name} into git-ignored files. Needs jq and the store's CLI, logged in.`,
      '..',
    ),
    ...(owners.length
      ? [
          '# Files containers read are handed to the user each container runs as (chown): only root may do that.',
          'if [ "$EUID" -ne 0 ]; then echo "run as root (sudo -i): files containers read must belong to their users" >&2; exit 1; fi',
        ]
      : []),
    'umask 077',
    'mkdir -p secrets',
    ...[...kinds].map(
      kind =>
        `entry_${kind.replace(/-/g, '_')}=$(${store.readCommand(spec, kind)})`,
    ),
  ];
  // The gateway's certificate for the public host (keys `crt`, `key` of the operator's entry); Tyk takes one PEM.
  if (servesOwnTls(spec)) {
    lines.push(
      `entry_gateway_tls=$(${store.readCommand(spec, gatewayTlsEntry(spec))})`,
      'mkdir -p secrets/gateway-tls',
      `jq -r '.crt' <<<"$entry_gateway_tls" > secrets/gateway-tls/tls.crt`,
      `jq -r '.key' <<<"$entry_gateway_tls" > secrets/gateway-tls/tls.key`,
      'cat secrets/gateway-tls/tls.crt secrets/gateway-tls/tls.key > secrets/gateway-tls/tls.pem',
    );
  }
  // The database's CA bundle (key `ca` of the operator's entry), mounted by MPS, RPS and mps-router.
  if (databaseCaFile(spec) && spec.database.caCertSecret) {
    // Read into a variable first: a failed read inside a here-string would not stop the script (set -e).
    lines.push(
      `entry_database_ca=$(${store.readCommand(spec, {
        name: spec.database.caCertSecret,
      })})`,
      `jq -r '.ca' <<<"$entry_database_ca" > secrets/database-ca.pem`,
    );
  }
  for (const service of SERVICE_IDS) {
    lines.push(`: > secrets/${service}.env`);
    for (const v of secretEnvVars(spec, service)) {
      lines.push(
        `printf '%s=%s\\n' ${v.name} "$(jq -r '.${
          v.secret.key
        }' <<<"$entry_${v.secret.kind.replace(
          /-/g,
          '_',
        )}")" >> secrets/${service}.env`,
      );
    }
  }
  lines.push(...(gateway.jwtConfig?.resolveScript(spec) ?? []));
  // Readable by the container's user only (compose `user:`): 0400 files, 0500 directories, nobody else.
  for (const { path, owner, service } of owners)
    lines.push(
      owner
        ? `chown -R ${owner} ${path} && chmod -R u=rX,go= ${path}`
        : `# ${path}: mounted by ${service}, whose user this script does not know: make it readable by that user.`,
    );
  lines.push('echo "secrets resolved into ./secrets (keep it off git)"', '');
  return { path: 'scripts/resolve-secrets.sh', content: lines.join('\n') };
}
