import {
  ComponentHealth,
  ComponentId,
  DeploymentHealth,
  DeploymentHistory,
  FleetPage,
  FleetQuery,
  HealthStatus,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { SerializedAnswer } from './fleetSnapshot';

/** What the store keeps about a deployment besides its health (from the catalog). */
export interface DeploymentMeta {
  entityRef: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  /** Owners the catalog confirms (ownedBy relations), for signals and notifications; not stored. */
  ownedBy?: string[];
  target?: string;
  simulated: boolean;
  providers: { database?: string; secrets?: string; gateway?: string };
  /** open-amt.io/toolkit-release as written; undefined when absent (the deployment then runs v2.26.0). */
  toolkitRelease?: string;
}

/** One probe round of a deployment to record; `now` is when its probes finished. */
export interface RecordEntry {
  meta: DeploymentMeta;
  components: ComponentHealth[];
  now?: Date;
}

/** What recording a round changed: the deployment's status before and after, and the components whose status moved. */
export interface RecordOutcome {
  entityRef: string;
  previousStatus: HealthStatus | null;
  status: HealthStatus;
  changed: {
    component: ComponentId;
    from: HealthStatus | null;
    to: HealthStatus;
    message: string;
  }[];
}

/**
 * The health engine's store: latest state per deployment and component, the state-change log, and
 * downsampled history. DatabaseHealthStore is the implementation; the interface is what the engine, the
 * router, the actions and the retention job depend on.
 */
export interface HealthStore {
  /**
   * Makes the deployment list match the catalog: inserts new deployments (status unknown until probed),
   * refreshes names and owners, and deletes deployments no longer in the catalog with their history.
   */
  syncDeployments(metas: DeploymentMeta[]): Promise<{ removed: string[] }>;

  /** Records one probe round of a deployment: latest state, state changes and history, all or nothing. */
  record(
    meta: DeploymentMeta,
    components: ComponentHealth[],
    now?: Date,
  ): Promise<RecordOutcome>;

  /**
   * Records many probe rounds with the same effect as recording them one by one (a deployment twice: in
   * order). Outcomes are in entry order.
   */
  recordMany(entries: RecordEntry[]): Promise<RecordOutcome[]>;

  /** A deployment's latest state; undefined when the store does not track it. */
  getDeployment(entityRef: string): Promise<DeploymentHealth | undefined>;

  /**
   * Makes the next reads include what other replicas wrote until now (reads otherwise follow them within a few
   * seconds): before judging a round from the stored one.
   */
  catchUp(): Promise<void>;

  /** getDeployment serialized to JSON once per change, for the REST API. */
  getDeploymentAnswer(entityRef: string): Promise<SerializedAnswer | undefined>;

  /** A fleet page; with `visible`, only those deployments are filtered, counted and paged. */
  listFleet(
    query: FleetQuery,
    visible?: ReadonlySet<string>,
  ): Promise<FleetPage>;

  /** listFleet serialized to JSON, for the REST API. */
  listFleetAnswer(
    query: FleetQuery,
    visible?: ReadonlySet<string>,
  ): Promise<SerializedAnswer>;

  /** The entity refs of every tracked deployment. */
  listEntityRefs(): Promise<string[]>;

  /** History buckets and state changes between `from` and `to`; undefined when the store does not track the deployment. */
  getHistory(
    entityRef: string,
    from: Date,
    to: Date,
  ): Promise<DeploymentHistory | undefined>;

  /** Deletes history buckets and state changes older than `cutoff`; returns the rows removed. */
  deleteOlderThan(
    cutoff: Date,
  ): Promise<{ buckets: number; transitions: number }>;

  /**
   * Claims a notice for a deployment: true for the one caller (of any replica) that recorded it first, false when it
   * was claimed before. The notices ledger; `now` is stored as when it was sent.
   */
  claimNotice(entityRef: string, key: string, now?: Date): Promise<boolean>;

  /** Deletes notices claimed before `cutoff`; returns how many. */
  deleteNoticesOlderThan(cutoff: Date): Promise<number>;
}
