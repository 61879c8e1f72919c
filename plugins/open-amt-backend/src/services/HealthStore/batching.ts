/** Deployments written per transaction (each costs about 10 bound values per component). */
export const MAX_RECORD_BATCH = 200;
/** Rows per INSERT: knex writes multi-row inserts on SQLite as a compound SELECT, limited to 500 terms. */
export const MAX_INSERT_ROWS = 400;
/**
 * Rows per hand-written VALUES upsert of ten columns: 10,000 bound values, under SQLite's 32,766 and PostgreSQL's
 * 65,535 per statement.
 */
export const MAX_UPSERT_ROWS = 1000;

/** `items` in consecutive slices of at most `size`, to keep statements under the databases' limits. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/** A number for SQL text; throws on anything that is not a safe integer. */
export function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}
