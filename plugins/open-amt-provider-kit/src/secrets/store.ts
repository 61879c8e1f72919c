/**
 * What a secrets store gives the services' secret managers: entries addressed by the services' own paths
 * (`devices/<guid>`, `MPSCerts`, …), each one JSON object. The MPS and RPS secret managers are written once over this;
 * each store (Key Vault, Secrets Manager) implements it in its own folder.
 */
export interface StoredEntry {
  value: Record<string, unknown>;
  /** The store's version of the entry (RPS hands it back as `version`). */
  version: string;
}

export interface SecretEntryStore {
  /** The entry, or null only when it is absent; a failing store throws (a hiccup is never "no secret"). */
  read(path: string): Promise<StoredEntry | null>;
  /** Creates or replaces the entry. */
  write(
    path: string,
    value: Record<string, unknown>,
  ): Promise<{ version: string }>;
  /**
   * Removes the entry so that the same path can be written again at once: the stores keep deleted entries for a
   * while (soft delete, recovery window), which each implementation handles. Absent entries are not an error.
   */
  remove(path: string): Promise<void>;
  /** A cheap authenticated call proving the store answers; its result is what `health()` returns. */
  health(): Promise<Record<string, unknown>>;
}
