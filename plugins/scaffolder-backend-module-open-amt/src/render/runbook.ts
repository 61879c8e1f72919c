/**
 * README.md of the rendered repository: the choices and their support levels (from the registry), the provider kit
 * this repository builds into the MPS/RPS images (or what an adopter's own provider must implement), the extra load
 * balancers, how secrets are wired, and every step
 * left to a human — in order.
 */
import {
  CIRA_PORT,
  DeploymentSpec,
  describeToolkitRelease,
  LATEST_TOOLKIT_RELEASE,
  ProviderInfo,
  releaseOf,
  SUPPORT_LEVELS,
  SupportLevel,
  supportLevelMeaning,
  TARGETS,
  TOOLKIT_SERVICE_IDS,
} from '@open-amt-backstage/plugin-open-amt-common';
import {
  chosenProviderInfos,
  databaseRendererOf,
  gatewayRendererOf,
  renderProvidersOf,
  secretStoreRendererOf,
} from './providers';
import {
  gatewayTlsEntry,
  SECRET_ENTRY_KINDS,
  SecretEntryKind,
  StoreEntry,
} from '../secrets/entries';
import {
  asRunbookStep,
  formatRunbookSteps,
  RunbookStep,
  RunbookStepInput,
  youProvide,
} from './runbookStep';
import { renderedReplicas } from './replicas';
import { buildCompose, secretFileOwners } from './compose';
import { servesOwnTls, WEBSOCKET_TLS_SECRET } from './gatewayTls';
import { rpsDatabaseCaFile } from './env';
import { databaseCaFile, databaseTlsSummary } from '../secrets/databaseTls';
import {
  backendHost,
  internalServiceHost,
  websocketHost,
} from './gateways/upstreams';
import { flavourFor } from './kubernetesFlavour';
import { buildImagesSteps } from './buildImages';
import { entryRef } from './refs';
import { RenderedFile } from './types';
import { upgradingSection } from './upgradeOrder';

const row = (part: string, p: ProviderInfo) =>
  `| ${part} | ${p.label} (\`${p.id}\`) | ${p.supportLevel} | ${p.implication} |`;

const tablesOf = (spec: DeploymentSpec, side: 'rps' | 'mps') =>
  releaseOf(spec)
    .schema[side].tables.map(t => t.name)
    .join(', ');

/** The release the deployment runs, what it pins beside the services, and the names upstream's chart uses. */
function releaseSection(spec: DeploymentSpec): string[] {
  const release = releaseOf(spec);
  const names = release.kubernetesNames;
  return [
    '## Toolkit release',
    '',
    `Toolkit ${describeToolkitRelease(release)}${
      release.id === LATEST_TOOLKIT_RELEASE.id
        ? ' — the newest this portal knows.'
        : `; the newest this portal knows is ${LATEST_TOOLKIT_RELEASE.id}.`
    } The catalog records it as \`open-amt.io/toolkit-release: ${
      release.id
    }\`; the health checks expect these versions and this schema.`,
    '',
    '| part | version |',
    '|---|---|',
    ...TOOLKIT_SERVICE_IDS.map(
      id =>
        `| ${id} | ${release.components[id].version} (runs as ${release.components[id].user.name}, uid ${release.components[id].user.uid}) |`,
    ),
    `| PostgreSQL (release's compose) | \`${release.infrastructure.postgres}\` |`,
    `| Vault | \`${release.infrastructure.vault}\` |`,
    `| Kong | \`${release.infrastructure.kong}\` |`,
    '',
    `Schema: \`${spec.database.rpsDatabase}\` holds ${tablesOf(
      spec,
      'rps',
    )}; \`${spec.database.mpsDatabase}\` holds ${tablesOf(spec, 'mps')}.`,
    '',
    `Moving from upstream's Helm chart of this release: it names the Kong credential secrets \`${names.adminJwtSecret}\` / \`${names.adminAclSecret}\` (ACL group \`${names.adminAclGroup}\`) and the plugins \`${names.jwtPlugin}\` / \`${names.corsPlugin}\`; this repository replaces them with the Secrets listed under Secrets below.`,
    '',
  ];
}

/**
 * One note of each chosen provider, under a heading, said before anything else the operator reads: what cannot fully
 * work (`limitation`), what is modelled from vendor documentation only (`notVerified`).
 */
function providerNotesSection(
  spec: DeploymentSpec,
  heading: string,
  note: 'limitation' | 'notVerified',
): string[] {
  const noted = chosenProviderInfos(spec).filter(p => p[note]);
  if (!noted.length) return [];
  return [
    `## ${heading}`,
    '',
    ...noted.map(p => `- **${p.label}**: ${p[note]}`),
    '',
  ];
}

/** Store entries a service of the release creates on its first start (MPSCerts). */
const firstStartEntries = (spec: DeploymentSpec) =>
  Object.values(releaseOf(spec).components).flatMap(
    c => c.createsOnFirstStart ?? [],
  );

/** The command that builds the kit's MPS and RPS images (rendered by the images renderer). */
export const BUILD_IMAGES_SCRIPT = 'scripts/build-images.sh';

/** The database's part of the MPS/RPS images: how the services select it and what it reads. */
function databaseProviderLine(spec: DeploymentSpec): string {
  const db = databaseRendererOf(spec).info;
  return `selected by \`db_provider\` = \`${
    db.mpsDbProvider
  }\` (env \`MPS_DB_PROVIDER\` / \`RPS_DB_PROVIDER\`), reading \`MPS_CONNECTION_STRING\` / \`RPS_CONNECTION_STRING\` and the tables in \`database/${
    db.engine
  }/\` (MPS: ${tablesOf(spec, 'mps')}; RPS: ${tablesOf(spec, 'rps')})`;
}

/** The store's part of the MPS/RPS images: how the services select it and what it reads. */
function secretsProviderLine(spec: DeploymentSpec): string {
  const store = secretStoreRendererOf(spec);
  return `selected by \`secrets_provider\` = \`${
    store.info.mpsSecretsProvider
  }\` (env \`MPS_SECRETS_PROVIDER\` / \`RPS_SECRETS_PROVIDER\`), reading the store address from \`vault_address\` and the name prefix \`${store.runtimeSecretsPath(
    spec,
  )}\` from \`secrets_path\`, signing in with the platform identity (no token)`;
}

/** The user an image built FROM the release's must keep. */
function keepUserLine(spec: DeploymentSpec): string {
  const release = releaseOf(spec);
  return `Built \`FROM\` the release's images (\`${release.components.mps.image}\`, \`${release.components.rps.image}\`) without changing their user: Kubernetes pins uid ${release.components.mps.user.uid} (\`runAsUser\`), which the kubelet needs to verify \`runAsNonRoot\`.`;
}

/** The database and store of the spec that have a given support level. */
const partsAt = (spec: DeploymentSpec, level: SupportLevel) => ({
  db: databaseRendererOf(spec).info.supportLevel === level,
  secrets: secretStoreRendererOf(spec).info.supportLevel === level,
});

/**
 * The provider kit: what this project supplies for the choices the upstream images cannot run, the images this
 * repository builds with it, the one command that builds them, and what the operator still does by hand.
 */
function providerKitSection(spec: DeploymentSpec): string[] {
  const kit = partsAt(spec, 'kit');
  if (!kit.db && !kit.secrets) {
    return [
      '## Provider kit',
      '',
      "None needed: no choice above needs a provider from this project's kit.",
      '',
    ];
  }
  const db = databaseRendererOf(spec).info;
  const secrets = secretStoreRendererOf(spec).info;
  const out = [
    '## Provider kit (required)',
    '',
    `The upstream MPS and RPS images ship only PostgreSQL (MPS also MongoDB) and Vault providers. This project supplies the ${[
      kit.db && db.label,
      kit.secrets && secrets.label,
    ]
      .filter(Boolean)
      .join(
        ' and ',
      )} providers (its provider kit), and this repository builds them into the images the deployment runs, \`${
      spec.images.mps
    }\` and \`${
      spec.images.rps
    }\`: one command, \`${BUILD_IMAGES_SCRIPT}\`, builds both (the repository's CI workflow builds, scans and pushes them too). They must be in the registry before the first start.`,
    '',
  ];
  if (kit.db)
    out.push(
      `- ${db.label}: this project's \`${
        db.mpsDbProvider
      }\` provider, ${databaseProviderLine(
        spec,
      )}. \`open-amt:database:init\` creates those databases, users and tables (steps below).`,
    );
  if (kit.secrets)
    out.push(
      `- ${secrets.label}: this project's \`${
        secrets.mpsSecretsProvider
      }\` provider, ${secretsProviderLine(
        spec,
      )}. That identity's access to the store is a step below. The provider answers "no entry" only for an absent entry and fails on any other error${
        firstStartEntries(spec).length
          ? `, so MPS never replaces ${firstStartEntries(spec)
              .map(e => `\`${e}\``)
              .join(
                ', ',
              )} after a failed read (upstream's Vault provider answers "no entry" on any read error)`
          : ''
      }; an entry it deletes can be written again at once (it handles the store's soft delete or recovery window).`,
    );
  out.push(`- ${keepUserLine(spec)}`);
  out.push(
    `- By hand: run \`${BUILD_IMAGES_SCRIPT}\` (or let the CI workflow run) before starting MPS and RPS, and again for a new toolkit release; ${[
      kit.db && 'initialise the database',
      kit.secrets && "grant the services' identity its role on the store",
    ]
      .filter(Boolean)
      .join(' and ')} as the steps below say.`,
    '',
  );
  return out;
}

/**
 * Providers an adopter's module added (support level custom): this project does not supply them, so the images the
 * spec names must contain them.
 */
function adopterProviderSection(spec: DeploymentSpec): string[] {
  const custom = partsAt(spec, 'custom');
  if (!custom.db && !custom.secrets) return [];
  const db = databaseRendererOf(spec).info;
  const secrets = secretStoreRendererOf(spec).info;
  const out = [
    '## Your own providers (required)',
    '',
    `MPS and RPS must run the images you named: \`${spec.images.mps}\` and \`${spec.images.rps}\`. They must contain:`,
    '',
  ];
  if (custom.db)
    out.push(
      `- A database provider implementing \`IDB\` for ${
        db.label
      }, ${databaseProviderLine(
        spec,
      )}. It must answer the health check's \`SELECT 1\`.`,
    );
  if (custom.secrets)
    out.push(
      `- A secrets provider implementing \`ISecretManagerService\` (getSecretFromKey, getSecretAtPath, writeSecretWithObject, deleteSecretAtPath, health) for ${
        secrets.label
      }, ${secretsProviderLine(spec)}.`,
      ...firstStartEntries(spec).map(
        entry =>
          `- In that provider, a \`writeSecretWithObject\` that creates \`${entry}\` only when it does not exist yet: MPS writes it on first start when its read returns nothing, and upstream's provider returns nothing on any read error, so a provider that overwrites would replace the CIRA root devices trust after one failed read (the Vault policies here allow create but not update for it).`,
      ),
    );
  out.push(`- ${keepUserLine(spec)}`, '');
  return out;
}

/** The legend of the levels the choices table shows, in the registry's words. */
function supportLevelLegend(spec: DeploymentSpec): string {
  const shown = new Set(chosenProviderInfos(spec).map(p => p.supportLevel));
  return SUPPORT_LEVELS.filter(level => shown.has(level))
    .map(
      level =>
        `*${level}*: ${supportLevelMeaning(level)}${legendPointer(level)}.`,
    )
    .join(' ');
}

function legendPointer(level: SupportLevel): string {
  switch (level) {
    case 'native':
      return '';
    case 'kit':
      return ' (see Provider kit below)';
    case 'custom':
      return ' (see Your own providers below)';
    default:
      return unknownLevel(level);
  }
}

function unknownLevel(level: never): never {
  throw new Error(`unknown support level ${JSON.stringify(level)}`);
}

/** Entries only some stores hold (Vault's service tokens): listed only for those. */
function storeOwnedKinds(spec: DeploymentSpec): Set<SecretEntryKind> {
  return new Set(
    Object.values(renderProvidersOf(spec).secretStores).flatMap(
      r => r.ownEntryKinds ?? [],
    ),
  );
}

/** Services that write store entries on first start run as StatefulSets: say why they start one pod at a time. */
function firstStartNote(spec: DeploymentSpec): string {
  return Object.entries(releaseOf(spec).components)
    .filter(([, c]) => c.createsOnFirstStart?.length)
    .map(
      ([id, c]) =>
        ` ${id} starts one pod at a time (a StatefulSet): the first writes ${c
          .createsOnFirstStart!.map(e => `\`${e}\``)
          .join(', ')} to the store when it finds none, each later pod reads ${
          c.createsOnFirstStart!.length > 1 ? 'them' : 'it'
        } (pods starting together on an empty store would each write their own).`,
    )
    .join('');
}

/** The operator stores an entry read from their own files: the store's command, with what they must bring. */
function storeEntryStep(
  spec: DeploymentSpec,
  text: string,
  entry: StoreEntry,
  files: Record<string, { variable: string; what: string }>,
): RunbookStep {
  const store = secretStoreRendererOf(spec);
  if (!store.writeCommand) return { text };
  return {
    text,
    commands: [
      ...(store.cliSetup?.(spec) ?? []),
      ...Object.values(files).map(f =>
        youProvide(`file $${f.variable}`, f.what),
      ),
      ...store.writeCommand(
        spec,
        entry,
        Object.fromEntries(
          Object.entries(files).map(([key, f]) => [key, `$${f.variable}`]),
        ),
      ),
    ],
  };
}

/** Every step left to a human, in the order they must run (each step's inputs exist before it). */
export function runbookSteps(spec: DeploymentSpec): RunbookStep[] {
  const steps: RunbookStepInput[] = [];
  const gateway = gatewayRendererOf(spec).info;
  const store = secretStoreRendererOf(spec);
  const db = databaseRendererOf(spec).info;
  const isCompose = TARGETS[spec.target].platform === 'compose';
  steps.push(...(store.bootstrapSteps?.(spec) ?? []));
  steps.push(
    'Let the portal provision the secrets (`open-amt:secrets:provision`) or run the template again with rotate on to rotate them.',
  );
  steps.push(...(db.setupSteps ?? []));
  if (databaseCaFile(spec) && spec.database.caCertSecret) {
    const how = `MPS, RPS and mps-router verify the server with it (${
      rpsDatabaseCaFile(spec) ? '`RPS_POSTGRES_SSL_CA` for RPS, ' : ''
    }\`sslrootcert\` in the connection strings)`;
    steps.push(
      storeEntryStep(
        spec,
        `Store the database server's CA bundle (PEM) in the secrets store entry \`${
          spec.database.caCertSecret
        }\` under the key \`ca\` (a JSON object like the other entries): ${
          isCompose
            ? '`scripts/resolve-secrets.sh` writes it to `secrets/database-ca.pem`'
            : 'the ExternalSecret `database-ca` makes it the Secret `database-ca`'
        }, and ${how}. \`open-amt:database:init\` verifies the server with the same entry (store it first) and copies it into the health probe's entry.`,
        { name: spec.database.caCertSecret },
        {
          ca: {
            variable: 'DATABASE_CA_FILE',
            what: "the database server's CA bundle (PEM)",
          },
        },
      ),
    );
  }
  steps.push(
    `Create the databases, least-privileged users, grants and schema with \`open-amt:database:init\` (the template runs it when asked to initialise now; it is idempotent, so run it again after an upgrade). The files in \`database/${db.engine}/\` are the schema only (tables, for review); they create no database, user or grant.`,
  );
  steps.push(...buildImagesSteps(spec));
  // The gateway's certificate is an input of the resolve script and of the gateway's Secret: stored before they run.
  if (servesOwnTls(spec)) {
    steps.push(
      storeEntryStep(
        spec,
        `Store the TLS certificate for \`${
          spec.gateway.publicHost
        }\` (PEM with its chain) and its key in the secrets store entry \`${
          gatewayTlsEntry(spec).name
        }\` under the keys \`crt\` and \`key\`: ${
          isCompose
            ? '`scripts/resolve-secrets.sh` writes them to `secrets/gateway-tls/`'
            : `the ExternalSecret \`gateway-tls\` makes them the TLS Secret ${gateway.label} mounts`
        }; without them the gateway has no certificate for the public host (browsers and rpc-go refuse it).`,
        gatewayTlsEntry(spec),
        {
          crt: {
            variable: 'GATEWAY_TLS_CERT',
            what: `the certificate for ${spec.gateway.publicHost} with its chain (PEM)`,
          },
          key: {
            variable: 'GATEWAY_TLS_KEY',
            what: "the certificate's private key (PEM)",
          },
        },
      ),
    );
  }
  steps.push(...(gatewayRendererOf(spec).beforeStartSteps?.(spec) ?? []));
  if (isCompose) {
    const asRoot = secretFileOwners(buildCompose(spec)).length > 0;
    steps.push({
      text: `On the VM${
        asRoot
          ? ', as root (`sudo -i`: the script gives each file a container mounts to the user that container runs as, and keeps it unreadable to others)'
          : ''
      }, with the store CLI logged in and jq installed: run \`scripts/resolve-secrets.sh\`, then \`docker-compose up -d\`.`,
      commands: [
        ...(store.cliSetup?.(spec) ?? []),
        'scripts/resolve-secrets.sh',
        'docker-compose up -d',
      ],
    });
  } else {
    steps.push(
      ...flavourFor(spec).manualSteps(spec),
      ...(store.identitySteps?.(spec) ?? []),
    );
    steps.push({
      text: `Apply the manifests: \`kubectl apply -k kubernetes/\` (namespace \`${
        spec.namespace
      }\`); the External Secrets Operator fills the Secrets from the store.${firstStartNote(
        spec,
      )}`,
      commands: ['kubectl apply -k kubernetes/'],
    });
  }
  if (!gateway.runsBesideServices) {
    steps.push(
      isCompose
        ? `Point the private DNS name \`${backendHost(
            spec,
          )}\` at the VM (compose publishes each service's port there) so ${
            gateway.label
          } reaches the services.`
        : `Create the private DNS records ${(
            ['mps', 'rps', 'mpsrouter', 'webui'] as const
          )
            .map(s => `\`${internalServiceHost(spec, s)}\``)
            .join(
              ', ',
            )} for the internal load balancers of those Services (ExternalDNS does it from their \`external-dns.alpha.kubernetes.io/hostname\` annotation), reachable from ${
            gateway.label
          }.`,
    );
  }
  steps.push(...(gatewayRendererOf(spec).runbookSteps?.(spec) ?? []));
  for (const lb of gateway.extraLoadBalancers)
    steps.push(
      `Create the extra load balancer: ${lb} (${
        isCompose ? 'see gateway/' : 'kubernetes/load-balancers.yaml'
      }).`,
    );
  // The websocket Ingress (kubernetes/load-balancers.yaml) serves its own host: its certificate is the operator's.
  if (!isCompose && !gateway.carriesWebsockets)
    steps.push(
      flavourFor(spec).ingressCertificateStep(
        spec,
        websocketHost(spec),
        WEBSOCKET_TLS_SECRET,
      ),
    );
  steps.push(
    `Create DNS records: \`${spec.fqdn}\` → CIRA entry point (TCP 4433), \`${spec.gateway.publicHost}\` → gateway.`,
  );
  if (!servesOwnTls(spec)) {
    steps.push(
      `Give ${gateway.label} a TLS certificate for \`${spec.gateway.publicHost}\` (its custom-domain certificate setting).`,
    );
  }
  steps.push(
    `Let the portal's health checks in: \`openAmt.health.allowedHosts\` must cover \`${
      ciraProbeEndpoint(spec).host
    }\` (CIRA endpoint, above) and the hosts of the service URLs in \`catalog-info.yaml\`.`,
  );
  return steps.map(asRunbookStep);
}

/** Where the portal's CIRA probe connects: spec.monitoring's internal address, else where devices connect. */
function ciraProbeEndpoint(spec: DeploymentSpec): {
  endpoint: string;
  host: string;
} {
  const endpoint = spec.monitoring?.ciraEndpoint ?? `${spec.fqdn}:${CIRA_PORT}`;
  return {
    endpoint,
    host: endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
  };
}

/** What the portal's CIRA probe checks, and what it needs to reach the endpoint. */
function ciraHealthSection(spec: DeploymentSpec): string[] {
  const { endpoint, host } = ciraProbeEndpoint(spec);
  return [
    '## CIRA endpoint health check',
    '',
    `The portal checks the path devices use: one TLS handshake with \`${endpoint}\` (annotation \`open-amt.io/cira-endpoint\`) that sends \`${spec.fqdn}\` as the server name and nothing after the handshake. It is healthy when the certificate MPS presents covers \`${spec.fqdn}\` (\`open-amt.io/mps-common-name\`) and is valid for at least 14 more days, degraded when fewer are left, and down when nothing answers, when the port does not speak TLS, when the certificate is expired or not yet valid, or when it names something else: the sign of a gateway or load balancer terminating TLS instead of passing TCP ${CIRA_PORT} through to MPS. MPS signs the certificate with its own CA, so the portal does not verify the chain.`,
    '',
    `The portal must be allowed to reach it: \`openAmt.health.allowedHosts\` in the portal's configuration must cover \`${host}\` (its name, or its addresses as a CIDR), and the portal's network must reach that TCP port. Until then the check shows unknown and nothing is contacted.`,
    '',
  ];
}

function secretsSection(spec: DeploymentSpec): string[] {
  const isCompose = TARGETS[spec.target].platform === 'compose';
  return [
    '## Secrets',
    '',
    'This repository holds references to secrets, never values.',
    isCompose
      ? '`env/<service>.env` lists `<VAR>_REF=<store reference>#<key>`; `scripts/resolve-secrets.sh` writes the values into `secrets/` (git-ignored, mode 600) and fills the gateway credential template; a file a container mounts goes to the user that container runs as (`user:` in docker-compose.yml), mode 400, so the script runs as root.'
      : 'The External Secrets Operator syncs the entries below into one Kubernetes Secret per service (`kubernetes/external-secrets.yaml`); Deployments read them with `secretKeyRef`.',
    '',
    '| entry | keys | reference |',
    '|---|---|---|',
    ...Object.entries(SECRET_ENTRY_KINDS)
      .filter(
        ([kind]) =>
          !storeOwnedKinds(spec).has(kind as SecretEntryKind) ||
          secretStoreRendererOf(spec).ownEntryKinds?.includes(
            kind as SecretEntryKind,
          ),
      )
      .map(
        ([kind, keys]) =>
          `| ${kind} | ${keys.join(', ')} | \`${entryRef(
            spec,
            kind as SecretEntryKind,
          )}\` |`,
      ),
    '',
  ];
}

export function renderRunbook(spec: DeploymentSpec): RenderedFile[] {
  const gateway = gatewayRendererOf(spec).info;
  const lines = [
    `# Open AMT deployment: ${spec.name}`,
    '',
    `${
      spec.environment
    } deployment of the Open AMT Cloud Toolkit (MPS, RPS, MPS Router, Web UI) on ${
      TARGETS[spec.target].label
    }, owned by ${spec.owner}. MPS common name (CIRA): \`${
      spec.fqdn
    }\`; public entry: \`https://${spec.gateway.publicHost}\`.`,
    '',
    '## Choices',
    '',
    '| part | choice | support level | what it implies |',
    '|---|---|---|---|',
    row('Database', databaseRendererOf(spec).info),
    row('Secrets store', secretStoreRendererOf(spec).info),
    row('API gateway', gateway),
    '',
    supportLevelLegend(spec),
    '',
    ...providerNotesSection(
      spec,
      'Limitations (not production-ready)',
      'limitation',
    ),
    ...providerNotesSection(spec, 'Not verified', 'notVerified'),
    ...releaseSection(spec),
    `## Images (pinned, toolkit ${spec.toolkitRelease})`,
    '',
    ...(['mps', 'rps', 'mpsrouter', 'webui'] as const).map(s => {
      const { count, why } = renderedReplicas(spec, s);
      return `- ${s}: \`${spec.images[s]}\` × ${count}${
        why && count !== spec.replicas[s] ? ` (${why})` : ''
      }`;
    }),
    '',
    ...(databaseTlsSummary(spec).length
      ? [
          `## Database TLS (\`${spec.database.tlsMode}\`)`,
          '',
          ...databaseTlsSummary(spec),
          '',
        ]
      : []),
    ...providerKitSection(spec),
    ...adopterProviderSection(spec),
    '## Load balancers beside the gateway',
    '',
    ...(gateway.extraLoadBalancers.length
      ? [
          `${gateway.label} cannot carry ${[
            !gateway.carriesWebsockets && 'the websocket routes',
            !gateway.carriesCiraTcp && 'raw TLS on TCP 4433 (CIRA)',
          ]
            .filter(Boolean)
            .join(' or ')}, so these are generated:`,
          '',
          ...gateway.extraLoadBalancers.map(lb => `- ${lb}`),
        ]
      : [
          `${gateway.label} carries every route, websockets and CIRA (TCP 4433) itself: no extra load balancer.`,
        ]),
    '',
    ...secretsSection(spec),
    ...ciraHealthSection(spec),
    '## Steps left to a human',
    '',
    ...formatRunbookSteps(runbookSteps(spec)),
    '',
    ...upgradingSection(spec),
  ];
  return [{ path: 'README.md', content: lines.join('\n') }];
}
