export * from './types';
export * from './databases';
export * from './secretStores';
export * from './gateways';
export * from './targets';
export * from './registry';
export * from './exhaustive';
export * from './awsSecretNames';
