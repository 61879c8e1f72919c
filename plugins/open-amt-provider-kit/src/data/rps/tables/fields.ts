import type { ColumnKind, Field } from '../../columns';

/** `f('configName', 'cira_config_name', 'int')` — shorthand for the table specs. */
export const f = (
  prop: string,
  column: string,
  kind: ColumnKind = 'text',
  optional?: boolean,
): Field => ({ prop, column, kind, ...(optional ? { optional } : {}) });

/** The fields without the ones listed (by prop). */
export const without = (fields: readonly Field[], ...props: string[]) =>
  fields.filter(x => !props.includes(x.prop));
