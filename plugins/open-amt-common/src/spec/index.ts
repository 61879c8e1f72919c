export * from './images';
export * from './deploymentSpec';
