import { releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import { podTemplateOf } from '../output';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

/**
 * What the toolkit's services create on their first start, read from their source at the release tags:
 * - MPS (v2.34.1 and v2.13.21): getCertificates reads MPSCerts and, on null, generates a new CIRA root and server
 *   certificate and writes them, with no lock (v2.34.1 src/utils/certificates.ts:35-42, 106-111; v2.13.21 34-41,
 *   101-106), unless generate_certificates is false (v2.34.1 src/index.ts:189, v2.13.21 :150; default true, .mpsrc:9).
 *   It listens on its CIRA and web ports only after that returned (v2.34.1 src/index.ts:60-69, v2.13.21 :53-62).
 * - RPS (v2.39.4 src/Index.ts:110-129, Configurator.ts:25-68; v2.22.14 alike) creates nothing: it writes only when
 *   its API is called (it reads MPSCerts for activation, v2.39.4 src/stateMachines/activation.ts:644). mps-router
 *   (v2.5.13 internal/db/manager.go:10-25) only queries.
 */
const CREATORS = [
  {
    component: 'mps' as const,
    entry: 'MPSCerts',
    disabledBy: { env: 'MPS_GENERATE_CERTIFICATES', value: 'false' },
    /** Ports it opens only after the entry exists: env name and rc default. */
    portsAfterCreate: [
      { env: 'MPS_WEB_PORT', fallback: 3000 },
      { env: 'MPS_PORT', fallback: 4433 },
    ],
  },
];

type Creator = (typeof CREATORS)[number];

const VAULT_DIR = 'secrets-store/vault/';

/**
 * A Vault policy's capabilities on a path: an exact rule wins, else the longest glob prefix (hashicorp/vault
 * vault/acl.go AllowOperation: exactRules.Get, then prefixRules.LongestPrefix); no rule, none.
 */
export function vaultCapabilities(hcl: string, path: string): string[] {
  const rules = [
    ...hcl.matchAll(/path\s+"([^"]+)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]/g),
  ].map(m => ({
    path: m[1],
    caps: [...m[2].matchAll(/"([^"]+)"/g)].map(c => c[1]),
  }));
  const exact = rules.find(r => !r.path.endsWith('*') && r.path === path);
  if (exact) return exact.caps;
  const prefix = rules
    .filter(r => r.path.endsWith('*') && path.startsWith(r.path.slice(0, -1)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return prefix?.caps ?? [];
}

/**
 * Once written, no service token may replace the entry: MPS's read returns null on any error (v2.34.1
 * src/secrets/vault/index.ts:41-51, getMPSCerts 75-82), so a pod that restarts while Vault hiccups regenerates and
 * writes a new CIRA root. KV v2 makes a write to an existing key an update (vault-plugin-secrets-kv v0.26.2
 * path_data.go:145,152-170, existence check), so `create` without `update` lets the first write in and no other.
 */
function vaultWriteOnce(out: RenderedOutput, creator: Creator): string[] {
  const bootstrap = out.file(`${VAULT_DIR}bootstrap.sh`);
  const secretsPath = out.containerEnv(creator.component).MPS_SECRETS_PATH;
  if (!bootstrap || !secretsPath) return [];
  const target = `${secretsPath}${creator.entry}`;
  const policies = [
    ...bootstrap.matchAll(/vault policy write (\S+) (\S+)/g),
  ].map(m => ({
    name: m[1],
    caps: vaultCapabilities(out.file(`${VAULT_DIR}${m[2]}`) ?? '', target),
  }));
  return [
    ...policies
      .filter(p => p.caps.includes('update') || p.caps.includes('sudo'))
      .map(
        p =>
          `${VAULT_DIR}bootstrap.sh: policy ${p.name} may replace ${target} (update): an MPS whose read failed would overwrite the CIRA root devices trust`,
      ),
    ...(policies.some(p => p.caps.includes('create'))
      ? []
      : [
          `${VAULT_DIR}bootstrap.sh: no policy may create ${target}: ${creator.component} cannot store the ${creator.entry} it generates`,
        ]),
  ];
}

function literalEnv(container: any): Record<string, string | undefined> {
  return Object.fromEntries(
    (container?.env ?? []).map((e: any) => [e.name, e.value]),
  );
}

/** Whether the probe only passes once the creator listens (a port it opens after writing the entry). */
function probeWaitsForEntry(
  creator: Creator,
  container: any,
  probe: any,
): boolean {
  const raw = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  if (raw === undefined) return false;
  const named = (container.ports ?? []).find((p: any) => p.name === raw);
  const port = Number(named ? named.containerPort : raw);
  const env = literalEnv(container);
  return creator.portsAfterCreate.some(
    p => Number(env[p.env] ?? p.fallback) === port,
  );
}

export const firstStartWriterRule: ConformanceRule = {
  id: 'startup.first-start-single-writer',
  fact:
    'MPS creates its CIRA root and server certificate (MPSCerts) on first start when it reads none: read, generate, ' +
    'write, no lock. Pods that start together on an empty store each write their own; the last write wins and the ' +
    'others serve a certificate devices reject. So one pod must start and store them before any other starts: one ' +
    'replica, or a StatefulSet with OrderedReady whose readiness probe only passes once MPS listens (it listens after ' +
    'storing them). A Deployment creates all its replicas at once. Once stored, no service token may replace it (Vault: ' +
    'create without update), since MPS regenerates whenever its read fails.',
  source:
    'mps v2.34.1 src/utils/certificates.ts:35-42,106-111, src/index.ts:60-69,189; mps v2.13.21 src/utils/certificates.ts:34-41,101-106, ' +
    'src/index.ts:53-62,150; .mpsrc:9; rps v2.39.4 src/Index.ts:110-129; Kubernetes docs "StatefulSets" (Deployment and ' +
    'Scaling Guarantees, Pod Management Policies) and "Configure Liveness, Readiness and Startup Probes" (no probe: Ready); ' +
    'mps v2.34.1 src/secrets/vault/index.ts:41-51,75-82; vault-plugin-secrets-kv v0.26.2 path_data.go:145,152-170; hashicorp/vault vault/acl.go AllowOperation',
  check(out) {
    const violations: string[] = [];
    for (const creator of CREATORS) {
      const images = new Set([
        releaseOf(out.spec).components[creator.component].image,
        out.spec.images[creator.component],
      ]);
      const creates = (container: any) =>
        images.has(container?.image) &&
        literalEnv(container)[creator.disabledBy.env] !==
          creator.disabledBy.value;
      violations.push(...vaultWriteOnce(out, creator));
      const compose = out.composeServices();
      if (compose) {
        const asContainer = (s: any) => ({
          image: s?.image,
          env: Object.entries(s?.environment ?? {}).map(([name, value]) => ({
            name,
            value,
          })),
        });
        const pods = Object.values<any>(compose)
          .filter(s => creates(asContainer(s)))
          .reduce((n, s) => n + Number(s.deploy?.replicas ?? s.scale ?? 1), 0);
        if (pods > 1)
          violations.push(
            `docker-compose.yml: ${pods} ${creator.component} containers start together and each writes its own ${creator.entry}`,
          );
        continue;
      }
      const writers = out
        .kubernetesObjects()
        .map(o => ({ o, pod: podTemplateOf(o) }))
        .filter(({ pod }) => (pod?.spec?.containers ?? []).some(creates));
      if (writers.length > 1)
        violations.push(
          `${writers
            .map(w => `${w.o.kind} ${w.o.metadata.name}`)
            .join(', ')} each start a ${creator.component} that writes ${
            creator.entry
          }`,
        );
      for (const { o, pod } of writers) {
        const where = `${o.kind} ${o.metadata.name}`;
        const replicas = Number(o.spec?.replicas ?? 1);
        if (o.kind === 'DaemonSet') {
          violations.push(
            `${where}: one ${creator.component} per node starts at once, each writing its own ${creator.entry}`,
          );
          continue;
        }
        if (replicas <= 1) continue;
        if (o.kind !== 'StatefulSet') {
          violations.push(
            `${where}: its ${replicas} pods start together on an empty store and each writes its own ${creator.entry} (devices then reject all but the last)`,
          );
          continue;
        }
        if ((o.spec?.podManagementPolicy ?? 'OrderedReady') !== 'OrderedReady')
          violations.push(
            `${where}: podManagementPolicy ${o.spec.podManagementPolicy} starts its ${replicas} pods together, each writing its own ${creator.entry}`,
          );
        const container = pod.spec.containers.find(creates);
        if (!probeWaitsForEntry(creator, container, container.readinessProbe))
          violations.push(
            `${where}: the first pod counts as Ready before ${creator.component} stored ${creator.entry} (no readiness probe on a port it opens after), so the next starts too early`,
          );
      }
    }
    return violations;
  },
};
