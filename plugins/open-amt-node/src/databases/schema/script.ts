/** Statements per database, in execution order; the file form is derived from these. */
export interface EngineSchema {
  rps: string[];
  mps: string[];
}

/**
 * One file from statements. `terminator` is `;` for PostgreSQL/MariaDB and `\nGO` for sqlcmd batches, so
 * the text a human runs is exactly what the init action executes.
 */
export function joinStatements(
  statements: readonly string[],
  header: string,
  terminator: string,
): string {
  return `${header}\n\n${statements
    .map(s => `${s}${terminator}`)
    .join('\n\n')}\n`;
}
