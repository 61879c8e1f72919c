export { LastChecked } from './LastChecked';
export { SupportLevelChip } from './SupportLevelChip';
export { SimulatedChip } from './SimulatedChip';
export { RefreshButton } from './RefreshButton';
export { StaleNotice } from './StaleNotice';
export { ReleaseDrift } from './ReleaseDrift';
