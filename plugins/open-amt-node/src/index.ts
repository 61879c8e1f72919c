/**
 * Provider adapters shared by the Open AMT health engine and scaffolder actions: one file per provider,
 * each able to probe (health) and, where it applies, provision.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './net';
export * from './databases';
export * from './secret-stores';
export * from './gateways';
export * from './services';
export * from './providers';
