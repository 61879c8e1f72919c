import type { DatabaseProviderInfo } from '@open-amt-backstage/plugin-open-amt-common';
import type { AnyDatabaseAdapter } from '@open-amt-backstage/plugin-open-amt-node';

/**
 * One database as the scaffolder sees it. What is rendered for a database follows from its engine (connection
 * strings, TLS options, schema dialect), so the object is its registry entry plus its open-amt-node adapter, which
 * writes the schema (`schemaSql`) and initialises the server (open-amt:database:init).
 */
export interface DatabaseRenderer {
  /** Its registry entry (common): id, label, engine, default port, server CA, setup steps. */
  info: DatabaseProviderInfo<string>;
  adapter: AnyDatabaseAdapter;
}
