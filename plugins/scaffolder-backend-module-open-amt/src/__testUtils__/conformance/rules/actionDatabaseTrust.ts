import { databaseCaSource } from '../../../actions/initDatabase/databaseTrust';
import { secretStoreRendererOf } from '../../../render/providers';
import { isWorkload, RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

/** What the rendered deployment hands its services as the database CA: the store name it reads and the key. */
interface DeploymentCa {
  where: string;
  /** The text naming the store location (the CLI command, or the ExternalSecret's remote key). */
  location: string;
  key: string;
}

/** compose: the lines of resolve-secrets.sh that read the CA entry and write secrets/database-ca.pem (`jq -r '.<key>'`). */
function composeCa(out: RenderedOutput): DeploymentCa | undefined {
  const script = out.file('scripts/resolve-secrets.sh');
  const line = script
    ?.split('\n')
    .find(l => /> *secrets\/database-ca\.pem\b/.test(l));
  if (!line) return undefined;
  const key = /jq -r '\.([\w-]+)'/.exec(line)?.[1] ?? '(no jq key)';
  // The entry may be read into a variable first (so a failed read stops the script under set -e): follow it.
  const variable = /<<<\s*"\$\{?(\w+)\}?"/.exec(line)?.[1];
  const read = variable
    ? script!.split('\n').find(l => l.startsWith(`${variable}=`))
    : undefined;
  return {
    where: 'scripts/resolve-secrets.sh',
    location: read ? `${read}; ${line}` : line,
    key,
  };
}

/** Kubernetes: the ExternalSecret that makes the Secret the pods mount as their database CA. */
function kubernetesCa(out: RenderedOutput): DeploymentCa | undefined {
  const objects = out.kubernetesObjects();
  const caVolumeSecrets = new Set(
    objects
      .filter(o => isWorkload(o))
      .flatMap(o => o.spec?.template?.spec?.volumes ?? [])
      .filter((v: any) => v.secret?.items?.some((i: any) => /ca/.test(i.key)))
      .map((v: any) => v.secret.secretName),
  );
  const es = objects.find(
    o =>
      o.kind === 'ExternalSecret' &&
      caVolumeSecrets.has(o.spec?.target?.name ?? o.metadata.name),
  );
  const ref = es?.spec?.data?.[0]?.remoteRef;
  if (!ref) return undefined;
  return {
    where: `kubernetes ExternalSecret ${es!.metadata.name}`,
    location: String(ref.key),
    key: String(ref.property),
  };
}

/** The store's own name for an entry (the adapter's reference, its last path segment: prefixes applied). */
function storeName(out: RenderedOutput, entry: string): string {
  const ref = secretStoreRendererOf(out.spec).adapter.refFor(
    out.spec.secrets as never,
    entry,
  );
  return ref.split('#')[0].split(/[/:]/).pop()!;
}

const names = (text: string, name: string) =>
  new RegExp(
    `(^|[^\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`,
  ).test(text);

export const actionDatabaseTrustRule: ConformanceRule = {
  id: 'trust.actions-database-ca',
  fact:
    'open-amt:database:init (and the health probe, through the CA init copies into the probe entry) verifies the ' +
    "database with the CA the deployment's services verify with: the same store entry, as the store adapter names " +
    'it, and the same key as resolve-secrets.sh or the ExternalSecret read; and with one exactly when the services ' +
    'have one (otherwise init passes where MPS fails, or fails with UNABLE_TO_VERIFY_LEAF_SIGNATURE where MPS works).',
  source:
    'issue 18 class 10 (measured UNABLE_TO_VERIFY_LEAF_SIGNATURE); initDatabase.tls.test.ts against PostgreSQL ' +
    'ssl=on and MariaDB require_secure_transport with a private CA; the store adapters (open-amt-node) refFor',
  check(out) {
    const action = databaseCaSource(out.spec);
    const deployment = out.composeServices()
      ? composeCa(out)
      : kubernetesCa(out);
    if (!action && !deployment) return [];
    if (!action)
      return [
        `${
          deployment!.where
        }: the services verify the database with a CA from the store, open-amt:database:init with none`,
      ];
    if (!deployment)
      return [
        `open-amt:database:init verifies with ${action.entry} (key ${action.key}); the rendered deployment gives its services no CA`,
      ];
    const violations: string[] = [];
    const name = storeName(out, action.entry);
    if (!names(deployment.location, name))
      violations.push(
        `${
          deployment.where
        }: reads the CA from ${deployment.location.trim()}, not from ${name}, the entry open-amt:database:init reads`,
      );
    if (deployment.key !== action.key)
      violations.push(
        `${deployment.where}: reads key ${deployment.key} of the CA entry; open-amt:database:init reads ${action.key}`,
      );
    return violations;
  },
};
