import type { ClassifiedDbError } from '../dialect';
import type { Field } from '../columns';
import type { ReadField } from '../select';

/** The stand-in for xmin (open-amt-node databases/schema/rowVersion.ts ROW_VERSION_COLUMN). */
export const ROW_VERSION_COLUMN = 'row_version';

export const versionField: ReadField = {
  prop: 'version',
  column: ROW_VERSION_COLUMN,
  kind: 'version',
};

export const tenantField: Field = {
  prop: 'tenantId',
  column: 'tenant_id',
  kind: 'text',
};

/** One RPS configuration table as its postgres provider uses it (rps src/data/postgres/tables/*.ts). */
export interface EntitySpec {
  table: string;
  key: Field;
  /** getByName's object, in upstream's column order (with versionField where upstream reads xmin). */
  fields: readonly ReadField[];
  /** get's object when it differs (wirelessProfiles adds total_count). */
  listFields?: readonly ReadField[];
  insert: readonly Field[];
  /** SET list; the WHERE is key, tenant and — when versioned — the version. */
  update: readonly Field[];
  versioned: boolean;
  /** upstream writes creation_date on insert (wirelessProfiles.ts:188, proxyConfigs.ts:175@v2.39.4) */
  creationDate?: boolean;
  /** upstream refuses the delete while rows of `table` name the item (wirelessProfiles.ts:143-152) */
  deleteGuard?: { table: string; column: string; error(name: string): Error };
  /** errors of DELETE; undefined: upstream has no try, the driver's error goes up */
  deleteError?(e: ClassifiedDbError, name: string): Error;
  insertError(e: ClassifiedDbError, name: string): Error;
  updateError(e: ClassifiedDbError, name: string): Error;
}
