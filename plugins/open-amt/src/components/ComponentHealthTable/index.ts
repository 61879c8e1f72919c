export { ComponentHealthTable, rowsInOrder } from './ComponentHealthTable';
export type { ComponentHealthTableProps } from './ComponentHealthTable';
