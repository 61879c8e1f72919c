export { EntityOpenAmtHealthCard } from './EntityOpenAmtHealthCard';
