export * from './types';
export * from './supportLevels';
export * from './databases';
export * from './secretStores';
export * from './gateways';
export * from './targets';
export * from './registry';
export * from './exhaustive';
