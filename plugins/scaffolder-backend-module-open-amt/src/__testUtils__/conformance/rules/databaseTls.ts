import { isWorkload } from '../output';
import { databaseRendererOf } from '../../../render/providers';
import { clientTls, DatabaseClientName } from '../databaseClients';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

const CLIENTS: Record<
  'mps' | 'rps' | 'mpsrouter',
  { client: DatabaseClientName; variable: string }
> = {
  mps: { client: 'node-postgres', variable: 'MPS_CONNECTION_STRING' },
  rps: { client: 'node-postgres', variable: 'RPS_CONNECTION_STRING' },
  mpsrouter: { client: 'lib/pq', variable: 'MPS_CONNECTION_STRING' },
};

interface Wiring {
  /** The store entry kind and key the variable is read from. */
  kind: string;
  key: string;
  env: Record<string, string | undefined>;
  /** Files mounted in the container (compose: container paths of bind mounts). */
  files: string[];
}

/** Where each service's connection string comes from, its plain environment and its mounted files. */
function wiringOf(
  out: RenderedOutput,
  service: keyof typeof CLIENTS,
): Wiring | undefined {
  const { variable } = CLIENTS[service];
  const compose = out.composeServices();
  if (compose) {
    const script = out.file('scripts/resolve-secrets.sh') ?? '';
    const line = new RegExp(
      `'%s=%s\\\\n' ${variable} "\\$\\(jq -r '\\.(\\w+)' <<<"\\$entry_(\\w+)"\\)" >> secrets/${service}\\.env`,
    ).exec(script);
    if (!line) return undefined;
    const files = (compose[service]?.volumes ?? []).map(
      (v: string) => v.split(':')[1],
    );
    return {
      kind: line[2].replace(/_/g, '-'),
      key: line[1],
      env: compose[service]?.environment ?? {},
      files,
    };
  }
  const objects = out.kubernetesObjects();
  const deployment = objects.find(
    o => isWorkload(o) && o.metadata.name === service,
  );
  const container = deployment?.spec?.template?.spec?.containers?.[0];
  const ref = (container?.env ?? []).find((e: any) => e.name === variable)
    ?.valueFrom?.secretKeyRef;
  const external = objects.find(
    o => o.kind === 'ExternalSecret' && o.spec?.target?.name === ref?.name,
  );
  const data = (external?.spec?.data ?? []).find(
    (d: any) => d.secretKey === ref?.key,
  );
  if (!data) return undefined;
  const kind =
    /-(db-mps|db-rps)$/.exec(String(data.remoteRef.key))?.[1] ??
    String(data.remoteRef.key);
  const env = Object.fromEntries(
    (container.env ?? [])
      .filter((e: any) => 'value' in e)
      .map((e: any) => [e.name, e.value]),
  );
  const mounts: Array<{ mountPath: string }> = container.volumeMounts ?? [];
  const volumes: any[] = deployment?.spec?.template?.spec?.volumes ?? [];
  const files = mounts.flatMap(m => {
    const volume = volumes.find(v => v.name === (m as any).name);
    return (volume?.secret?.items ?? []).map(
      (i: any) => `${m.mountPath}/${i.path}`,
    );
  });
  return { kind, key: data.remoteRef.property, env, files };
}

export const databaseTlsRule: ConformanceRule = {
  id: 'trust.database-tls',
  fact:
    "Each service's database client does what the form's TLS mode promises: disable → no TLS; require → encrypted, " +
    'certificate not checked; verify-full → chain and host name checked against a CA it holds: a CA file named in ' +
    "its configuration must be mounted in its container, and a managed database's CA (RDS, Azure) must be given, " +
    'since the images do not trust it.',
  source:
    'shared/reference/open-amt-traffic.md §5 (mps, rps config, mps-router lib/pq 1.12.3); pg-connection-string README; lib/pq conn.go',
  check(out) {
    const provider = databaseRendererOf(out.spec).info;
    if (provider.engine !== 'postgres') return [];
    const mode = out.spec.database.tlsMode;
    const entries: Record<string, Record<string, string>> = {
      'db-mps': out.provisioned('db-mps'),
      'db-rps': out.provisioned('db-rps'),
    };
    const violations: string[] = [];
    for (const service of Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>) {
      const wiring = wiringOf(out, service);
      if (!wiring) {
        violations.push(
          `${service}: ${CLIENTS[service].variable} is not wired to a database entry`,
        );
        continue;
      }
      const url = entries[wiring.kind]?.[wiring.key];
      if (!url) {
        violations.push(
          `${service}: reads ${wiring.kind}.${wiring.key}, which open-amt:secrets:provision does not write`,
        );
        continue;
      }
      const tls = clientTls(CLIENTS[service].client, url, wiring.env);
      const who = `${service} (${CLIENTS[service].client})`;
      if (tls.startup === 'refused') {
        violations.push(`${who}: does not start: ${tls.why}`);
        continue;
      }
      if (mode === 'disable' && tls.tls)
        violations.push(`${who}: uses TLS though the form says disable`);
      if (mode !== 'disable' && !tls.tls)
        violations.push(
          `${who}: connects without TLS though the form says ${mode}`,
        );
      if (!tls.tls) continue;
      if (mode === 'require' && (tls.verifiesChain || tls.verifiesHost)) {
        violations.push(
          `${who}: verifies the server certificate though the form says require (not verified): a private CA fails the connection`,
        );
      }
      if (mode === 'verify-full' && !(tls.verifiesChain && tls.verifiesHost))
        violations.push(
          `${who}: does not check chain and host name though the form says verify-full`,
        );
      if (tls.verifiesChain) {
        if (tls.caFile && !wiring.files.includes(tls.caFile))
          violations.push(
            `${who}: verifies with ${tls.caFile}, which is not mounted in its container`,
          );
        if (!tls.caFile && provider.serverCa)
          violations.push(
            `${who}: verifies against its own trust store, which lacks ${provider.serverCa}`,
          );
      }
    }
    return violations;
  },
};
