import { FleetSnapshot } from './fleetSnapshot';

/** Without a change seen, the snapshot is still reloaded this often (catches catalog-only edits by other replicas). */
const FULL_RELOAD_MS = 60_000;

/** How the cache reads the database; the store supplies the SQL. */
export interface FleetSnapshotSource {
  /** A cheap summary of the latest-state tables that changes whenever any replica writes them. */
  readFingerprint(): Promise<string>;
  /** The latest-state tables in full. */
  readSnapshot(): Promise<FleetSnapshot>;
}

/**
 * Keeps the fleet's latest state in memory so reads of fleet pages and deployment cards need no database round
 * trip. Loaded from the database, updated with this replica's writes as they commit, and checked against the
 * database every `readCacheMs` so other replicas' writes show up within that time.
 */
export class FleetSnapshotCache {
  private snapshot?: FleetSnapshot;
  private loading?: Promise<FleetSnapshot>;
  /** This replica's changes that committed while a load was running: applied again on top of it. */
  private changesDuringLoad?: Array<(snapshot: FleetSnapshot) => void>;
  private checkedAt = 0;
  private loadedAt = 0;
  private fingerprint?: string;
  private checking?: Promise<void>;
  private generation = 0;

  /** `readCacheMs`: how often the snapshot is checked against the database (0 = read the database every time). */
  constructor(
    private readonly source: FleetSnapshotSource,
    private readonly readCacheMs: number,
  ) {}

  /**
   * The snapshot to answer from. Held answers are served while a check for other replicas' writes runs in
   * the background (at most one at a time, every `readCacheMs`), so no read waits on the database except
   * the first one.
   */
  async current(): Promise<FleetSnapshot> {
    if (this.readCacheMs <= 0) return this.load();
    if (!this.snapshot) return this.loading ?? this.load();
    if (!this.checking && Date.now() - this.checkedAt >= this.readCacheMs) {
      this.checking = this.revalidate().finally(() => {
        this.checking = undefined;
      });
    }
    return this.snapshot;
  }

  /**
   * Checks for other replicas' writes now and waits for them to be loaded, for a caller that must not act on an old
   * round (the device-drop alert of an on-demand refresh). Without a snapshot the next read loads one anyway.
   */
  async catchUp(): Promise<void> {
    if (this.readCacheMs <= 0 || !this.snapshot) return;
    this.checking ??= this.revalidate().finally(() => {
      this.checking = undefined;
    });
    await this.checking;
  }

  /** Applies this replica's committed change to the snapshot, and to a load that is running. */
  applyChange(change: (snapshot: FleetSnapshot) => void) {
    if (this.snapshot) {
      change(this.snapshot);
      // The database now differs from the last fingerprint by our own write only; a fresh one is read at the next check.
      this.fingerprint = undefined;
    }
    this.changesDuringLoad?.push(change);
  }

  /** Forgets the snapshot (after a failed write or one whose result only the database knows): the next read loads it again. */
  invalidate() {
    this.generation += 1;
    this.snapshot = undefined;
    this.fingerprint = undefined;
    this.changesDuringLoad = undefined;
    this.loading = undefined;
  }

  /** Reloads when the tables changed since the last load (the fingerprint) or after a minute. */
  private async revalidate(): Promise<void> {
    try {
      const fingerprint = await this.source.readFingerprint();
      this.checkedAt = Date.now();
      if (
        fingerprint !== this.fingerprint ||
        Date.now() - this.loadedAt >= FULL_RELOAD_MS
      )
        await this.load();
    } catch {
      // The database is unreachable: keep answering from what is held; the next read tries again.
      this.checkedAt = Date.now();
    }
  }

  private load(): Promise<FleetSnapshot> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const changes: Array<(snapshot: FleetSnapshot) => void> = [];
    this.changesDuringLoad = changes;
    const loading = (async () => {
      const startedAt = Date.now();
      const fingerprint = await this.source.readFingerprint();
      const snapshot = await this.source.readSnapshot();
      // Writes that committed while the rows were read are in them or not: applying them again settles it.
      for (const change of changes) change(snapshot);
      // Invalidated meanwhile (a failed write, a catalog sync): answer this read, but do not keep it.
      if (generation === this.generation) {
        this.snapshot = snapshot;
        this.fingerprint = changes.length ? undefined : fingerprint;
        this.loadedAt = startedAt;
        this.checkedAt = Math.max(this.checkedAt, startedAt);
      }
      return snapshot;
    })();
    this.loading = loading;
    loading
      .finally(() => {
        if (this.loading === loading) {
          this.loading = undefined;
          this.changesDuringLoad = undefined;
        }
      })
      .catch(() => undefined);
    return loading;
  }
}
