import {
  COMPONENT_IDS,
  ComponentHealth,
  ComponentId,
  DeploymentEntityLike,
  DeploymentTarget,
  findProvider,
  OPEN_AMT_ANNOTATIONS,
  LATEST_TOOLKIT_RELEASE,
  ProviderInfo,
  ProviderKind,
  readDeploymentTarget,
  ReadDeploymentTargetOptions,
  TOOLKIT_RELEASES,
} from '@open-amt-backstage/plugin-open-amt-common';
// issue 11: services are judged against their deployment's release (version, gateway routes).
import {
  adapterOf,
  compareWithRelease,
  withDeadline,
} from '@open-amt-backstage/plugin-open-amt-node';
import type {
  AnyDatabaseAdapter,
  AnyGatewayAdapter,
  AnySecretStoreAdapter,
  CertificatesAdapter,
  CertificatesTarget,
  CiraEndpointAdapter,
  DevicesAdapter,
  HostGuard,
  ProbeContext,
  ProbeResult,
  SecretStoreAuth,
  ServiceAdapter,
  ServiceComponentId,
  StoreSpec,
} from '@open-amt-backstage/plugin-open-amt-node';
import {
  CredentialResolver,
  ProbeCredentials,
} from '../CredentialResolver/CredentialResolver';
import { OwnIdentity, OwnStoreAuth } from '../CredentialResolver/ownIdentity';
import {
  databaseRefusal,
  ownerRefusal,
  secretsStoreRefusal,
} from '../CredentialResolver/credentialBinding';
import type { ProbeFacts } from './ProbeFacts';
import { ciraCertificateOf } from './ciraCertificate';
import { withSchemaVersion } from './schemaVersion';
import { Limiter } from '../ProbeScheduling/limiter';

/**
 * The adapters the engine probes with (the open-amt-node registries by default). Databases, secrets stores and gateways
 * are keyed by provider id, built-ins plus those added through openAmtProvidersExtensionPoint.
 */
export interface ProbeAdapters {
  databases: Readonly<Record<string, AnyDatabaseAdapter>>;
  secretStores: Readonly<Record<string, AnySecretStoreAdapter>>;
  gateways: Readonly<Record<string, AnyGatewayAdapter>>;
  services: Record<ServiceComponentId, ServiceAdapter>;
  cira: CiraEndpointAdapter;
  devices: DevicesAdapter;
  certificates: CertificatesAdapter;
}

export interface DeploymentProberOptions {
  adapters: ProbeAdapters;
  guard: HostGuard;
  /** Hard budget per component probe; the result is in by then whatever the adapter does. */
  timeoutMs: number;
  limiter: Limiter;
  credentials: CredentialResolver;
  identity: OwnIdentity;
  maxBodyBytes?: number;
  /** Rarely-changing facts kept between sweeps (see ProbeFacts); without it every probe asks everything. */
  facts?: ProbeFacts;
  /**
   * Deployments probed at once (their components still share `limiter`); the others wait their turn before
   * any of their work is set up. Without it, a sweep queues every component of every deployment at its start.
   */
  deploymentWindow?: Limiter;
}

const SERVICE_ANNOTATION: Record<ServiceComponentId, string> = {
  mps: OPEN_AMT_ANNOTATIONS.mpsUrl,
  rps: OPEN_AMT_ANNOTATIONS.rpsUrl,
  mpsrouter: OPEN_AMT_ANNOTATIONS.mpsRouterUrl,
  webui: OPEN_AMT_ANNOTATIONS.webUiUrl,
};

const PART_ANNOTATIONS: Record<'database' | 'secrets' | 'gateway', string[]> = {
  database: [
    OPEN_AMT_ANNOTATIONS.databaseProvider,
    OPEN_AMT_ANNOTATIONS.databaseEndpoint,
    OPEN_AMT_ANNOTATIONS.databaseTlsMode,
  ],
  secrets: [
    OPEN_AMT_ANNOTATIONS.secretsProvider,
    OPEN_AMT_ANNOTATIONS.secretsEndpoint,
  ],
  gateway: [
    OPEN_AMT_ANNOTATIONS.gatewayProvider,
    OPEN_AMT_ANNOTATIONS.gatewayUrl,
  ],
};

const LABEL: Record<ComponentId, string> = {
  mps: 'MPS',
  rps: 'RPS',
  mpsrouter: 'MPS Router',
  webui: 'Web UI',
  database: 'The database',
  secrets: 'The secrets store',
  gateway: 'The gateway',
  cira: 'The MPS CIRA endpoint',
  devices: 'The devices count',
  certificates: 'The certificates check',
};

/** The provider and level of the components Open AMT itself ships (read-only: shared by every result). */
const OPEN_AMT_NATIVE: Readonly<
  Pick<ComponentHealth, 'provider' | 'supportLevel'>
> = Object.freeze({ provider: 'open-amt', supportLevel: 'native' });

/** Components probed after another, whose result they read. */
const DEPENDS_ON: Partial<Record<ComponentId, ComponentId>> = {
  certificates: 'cira',
};

/**
 * Probes every component of one deployment through the adapters: each probe runs under the shared
 * concurrency limiter and settles within the timeout (a hanging adapter is cut off and reported down).
 */
export class DeploymentProber {
  /** The provider ids this prober has adapters for, as the target reader takes them. */
  private readonly readOptions: ReadDeploymentTargetOptions;
  /** Adapters get a slightly smaller budget than the hard timeout so their own, more precise classification usually wins. */
  private readonly adapterBudgetMs: number;

  constructor(private readonly options: DeploymentProberOptions) {
    const { secretStores, gateways, databases } = options.adapters;
    const addedDatabases: Record<string, { defaultPort: number }> = {};
    for (const [id, adapter] of Object.entries(databases)) {
      if (adapter.defaultPort !== undefined)
        addedDatabases[id] = { defaultPort: adapter.defaultPort };
    }
    this.adapterBudgetMs = Math.max(
      50,
      options.timeoutMs - Math.min(250, Math.round(options.timeoutMs / 10)),
    );
    this.readOptions = {
      addedProviders: {
        secrets: Object.keys(secretStores),
        gateway: Object.keys(gateways),
        database: addedDatabases,
      },
    };
  }

  /** A catalog entity as a target, with the provider ids this prober has adapters for (added ones included). */
  readTarget(entity: DeploymentEntityLike): DeploymentTarget | undefined {
    return readDeploymentTarget(entity, this.readOptions);
  }

  /**
   * `fresh`: ask everything, trusting no fact learned before (on-demand refresh). A deployment waits for a place
   * in the deployment window (when there is one) before its probes are set up: a sweep starts every deployment
   * at once, and ten thousand queued probes then lived (and were moved to the old heap) until their turn, and
   * every certificates probe, queued behind them once its CIRA probe was in, held its deployment's results
   * until the sweep's end.
   */
  probe(
    target: DeploymentTarget,
    signal?: AbortSignal,
    options: { fresh?: boolean } = {},
  ): Promise<ComponentHealth[]> {
    const { deploymentWindow } = this.options;
    return deploymentWindow
      ? deploymentWindow(() => this.probeAll(target, signal, options.fresh))
      : this.probeAll(target, signal, options.fresh);
  }

  private probeAll(
    target: DeploymentTarget,
    signal?: AbortSignal,
    fresh?: boolean,
  ): Promise<ComponentHealth[]> {
    // The certificates row reads the CIRA certificate the CIRA probe saw (one handshake per sweep, not two).
    const probed = new Map<ComponentId, Promise<ComponentHealth>>();
    for (const component of COMPONENT_IDS) {
      const dependency = DEPENDS_ON[component];
      probed.set(
        component,
        dependency
          ? probed
              .get(dependency)!
              .then(seen =>
                this.probeComponent(target, component, signal, fresh, seen),
              )
          : this.probeComponent(target, component, signal, fresh),
      );
    }
    return Promise.all(COMPONENT_IDS.map(c => probed.get(c)!));
  }

  /** Forgets what was learned about deployments no longer in the catalog. */
  retainOnly(entityRefs: ReadonlySet<string>): void {
    this.options.facts?.retainOnly(entityRefs);
  }

  private async probeComponent(
    target: DeploymentTarget,
    component: ComponentId,
    signal?: AbortSignal,
    fresh?: boolean,
    dependency?: ComponentHealth,
  ): Promise<ComponentHealth> {
    const { provider, supportLevel } = this.providerOf(target, component);
    const run = this.taskFor(target, component, dependency);
    if (typeof run === 'string') {
      return {
        component,
        provider,
        supportLevel,
        status: 'unknown',
        checkedAt: new Date().toISOString(),
        message: run,
      };
    }
    const { timeoutMs, guard, maxBodyBytes, facts } = this.options;
    const result = await this.options.limiter(() => {
      const startedAt = Date.now();
      return withDeadline<ProbeResult>(
        timeoutMs,
        abortSignal => {
          let running: Promise<ProbeResult>;
          try {
            running = Promise.resolve(
              run({
                timeoutMs: this.adapterBudgetMs,
                guard,
                maxBodyBytes,
                signal: abortSignal,
                memory: facts?.memoryFor(target.entityRef, component, {
                  fresh,
                }),
              }),
            );
          } catch (error) {
            running = Promise.reject(error);
          }
          return running.catch(
            (error): ProbeResult => ({
              status: 'down',
              message: `${LABEL[component]} probe failed: ${messageOf(error)}`,
            }),
          );
        },
        () => ({
          status: 'down',
          message: `${LABEL[component]} did not answer within ${timeoutMs} ms.`,
          details: { timedOut: true, waitedMs: Date.now() - startedAt },
        }),
        signal,
      );
    });
    return {
      component,
      provider,
      supportLevel,
      status: result.status,
      latencyMs: result.latencyMs,
      checkedAt: new Date().toISOString(),
      message: result.message,
      details: result.details,
    };
  }

  private providerOf(
    target: DeploymentTarget,
    component: ComponentId,
  ): Pick<ComponentHealth, 'provider' | 'supportLevel'> {
    let kind: ProviderKind;
    let id: string | undefined;
    switch (component) {
      case 'database':
        kind = 'database';
        id = target.database?.provider ?? target.providers.database;
        break;
      case 'secrets':
        kind = 'secrets';
        id = target.secrets?.provider ?? target.providers.secrets;
        break;
      case 'gateway':
        kind = 'gateway';
        id = target.gateway?.provider ?? target.providers.gateway;
        break;
      default:
        return OPEN_AMT_NATIVE;
    }
    const info = id ? findProvider(kind, id) : undefined;
    if (info) return { provider: info.id, supportLevel: info.supportLevel };
    // A provider an adopter's module added: its level is the one its registry entry (the adapter's info) states,
    // as GET /providers serves it; 'custom' (supported by whoever wrote it) when an adapter came without one.
    const added = this.addedAdapter(kind, id);
    if (added)
      return {
        provider: id!,
        supportLevel: added.info?.supportLevel ?? 'custom',
      };
    return OPEN_AMT_NATIVE;
  }

  private addedAdapter(
    kind: ProviderKind,
    id: string | undefined,
  ): { info?: ProviderInfo<string> } | undefined {
    const { secretStores, gateways, databases } = this.options.adapters;
    const registries: Record<
      ProviderKind,
      Readonly<Record<string, { info?: ProviderInfo<string> }>>
    > = {
      database: databases,
      secrets: secretStores,
      gateway: gateways,
    };
    return adapterOf(registries[kind], id);
  }

  /** The probe to run, or why there is none (a sentence for the unknown row). */
  private taskFor(
    target: DeploymentTarget,
    component: ComponentId,
    dependency?: ComponentHealth,
  ): ((ctx: ProbeContext) => Promise<ProbeResult>) | string {
    const { adapters } = this.options;
    const notConfigured = (annotations: string[]) =>
      target.problems.find(p => annotations.some(a => p.startsWith(a))) ??
      `${LABEL[component]} is not probed: the deployment has no ${annotations[0]} annotation.`;

    switch (component) {
      case 'mps':
      case 'rps':
      case 'mpsrouter':
      case 'webui': {
        const url = target.services[component];
        if (!url) return notConfigured([SERVICE_ANNOTATION[component]]);
        return ctx =>
          adapters.services[component]
            .probe(url, ctx)
            .then(r => compareWithRelease(component, r, target.toolkitRelease));
      }
      case 'gateway': {
        const gateway = target.gateway;
        if (!gateway) return notConfigured(PART_ANNOTATIONS.gateway);
        const adapter = adapterOf(adapters.gateways, gateway.provider);
        if (!adapter)
          return `${LABEL[component]} is not probed: this portal has no adapter for the gateway ${gateway.provider}.`;
        const routes = (
          TOOLKIT_RELEASES.find(r => r.id === target.toolkitRelease) ??
          LATEST_TOOLKIT_RELEASE
        ).gatewayRoutes;
        return ctx => adapter.probe(gateway.url, routes, ctx);
      }
      case 'secrets': {
        const secrets = target.secrets;
        if (!secrets) return notConfigured(PART_ANNOTATIONS.secrets);
        const adapter = adapterOf(adapters.secretStores, secrets.provider);
        if (!adapter)
          return `${LABEL[component]} is not probed: this portal has no adapter for the secrets store ${secrets.provider}.`;
        const spec = adapter.specFromAnnotations(secrets);
        if (typeof spec === 'string') return spec;
        return async ctx => {
          const { auth, withoutCredentials } = await this.secretStoreAuth(
            target,
            secrets,
            adapter,
            spec,
          );
          const result = await adapter.probe(spec, auth, ctx);
          if (!withoutCredentials) return result;
          return {
            ...result,
            message: `${result.message} Not probed with credentials: ${withoutCredentials}.`,
          };
        };
      }
      case 'database': {
        const database = target.database;
        if (!database) return notConfigured(PART_ANNOTATIONS.database);
        const adapter = adapterOf(adapters.databases, database.provider);
        if (!adapter)
          return `${LABEL[component]} is not probed: this portal has no adapter for the database ${database.provider}.`;
        if (!target.credentialsRef) {
          return `The database is not probed: the deployment has no ${OPEN_AMT_ANNOTATIONS.credentialsRef} annotation naming its probe credentials.`;
        }
        const ref = target.credentialsRef;
        return async ctx => {
          const budgetEndsAt = Date.now() + ctx.timeoutMs;
          const owned = await this.boundEntry(target);
          if ('refused' in owned)
            return {
              status: 'unknown',
              message: `The database is not probed: ${owned.refused}`,
            };
          const credentials = owned.entry;
          const refused = databaseRefusal(database, ref, credentials);
          if (refused)
            return {
              status: 'unknown',
              message: `The database is not probed: ${refused}`,
            };
          // open-amt:secrets:provision names them dbUser/dbPassword in the probe entry.
          const user = credentials.databaseUser ?? credentials.dbUser;
          const password =
            credentials.databasePassword ?? credentials.dbPassword;
          if (!user || !password) {
            return {
              status: 'unknown',
              message: `The database is not probed: ${ref} has no databaseUser/databasePassword.`,
            };
          }
          const { provider: _provider, ...rest } = database;
          const databaseTarget = { ...rest, ca: credentials.databaseCa };
          const result = await adapter.probe(
            databaseTarget,
            { user, password },
            ctx,
          );
          return withSchemaVersion(
            result,
            adapter,
            databaseTarget,
            { user, password },
            ctx,
            budgetEndsAt,
            target.toolkitRelease,
          );
        };
      }
      case 'cira': {
        const cira = target.cira;
        if (!cira)
          return notConfigured([
            OPEN_AMT_ANNOTATIONS.mpsCommonName,
            OPEN_AMT_ANNOTATIONS.ciraEndpoint,
          ]);
        return ctx => adapters.cira.probe(cira, ctx);
      }
      case 'devices': {
        // MPS's internal address, without a token: MPS checks none itself (the gateway does).
        const url = target.services.mps;
        if (!url) return notConfigured([SERVICE_ANNOTATION.mps]);
        return ctx => adapters.devices.probe(url, ctx);
      }
      case 'certificates': {
        const certificates: CertificatesTarget = {
          rpsUrl: target.services.rps,
          rpsUnread: target.services.rps
            ? undefined
            : `Provisioning certificates not read: ${notConfigured([
                SERVICE_ANNOTATION.rps,
              ])}`,
          cira: ciraCertificateOf(dependency, target.cira?.commonName),
        };
        return ctx => adapters.certificates.probe(certificates, ctx);
      }
      default: {
        const unhandled: never = component;
        return `${unhandled} has no probe.`;
      }
    }
  }

  /** The deployment's probe credentials entry, when it is bound to this deployment (see credentialBinding.ts). */
  private async boundEntry(
    target: DeploymentTarget,
  ): Promise<{ entry: ProbeCredentials } | { refused: string }> {
    const ref = target.credentialsRef;
    if (!ref)
      return {
        refused: `the deployment has no ${OPEN_AMT_ANNOTATIONS.credentialsRef} annotation`,
      };
    let entry: ProbeCredentials;
    try {
      entry = await this.options.credentials.resolve(ref);
    } catch (error) {
      return { refused: messageOf(error) };
    }
    const refused = ownerRefusal(
      target,
      ref,
      entry,
      r => this.options.credentials.locate(r).name,
    );
    return refused ? { refused } : { entry };
  }

  /**
   * Who the secrets-store probe authenticates as: the portal's own identity only for a store configured in
   * openAmt.health.secretStores; else a token from the deployment's own bound entry, for the store it was
   * provisioned for; else nobody (the probe then checks what an anonymous client may see, and says so).
   */
  private async secretStoreAuth(
    target: DeploymentTarget,
    secrets: NonNullable<DeploymentTarget['secrets']>,
    adapter: AnySecretStoreAdapter,
    spec: StoreSpec,
  ): Promise<{ auth: SecretStoreAuth; withoutCredentials?: string }> {
    const owned = target.credentialsRef
      ? await this.boundEntry(target)
      : undefined;
    const entry =
      owned &&
      'entry' in owned &&
      !secretsStoreRefusal(secrets, target.credentialsRef!, owned.entry)
        ? owned.entry
        : undefined;
    const ca = entry?.secretsCa ? { ca: entry.secretsCa } : {};
    let own: OwnStoreAuth;
    try {
      own = await this.options.identity.authFor(spec);
    } catch (error) {
      own = {
        refused: `the portal could not authenticate to it (${messageOf(
          error,
        )})`,
      };
    }
    if ('auth' in own) return { auth: { ...own.auth, ...ca } };
    const fromEntry = entry && adapter.authFromProbeEntry?.(entry);
    if (fromEntry) return { auth: { ...fromEntry, ...ca } };
    return {
      auth: { kind: 'anonymous', ...ca },
      withoutCredentials: own.refused,
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
