export * from './images';
export * from './fields';
export * from './sections';
export * from './deploymentSpec';
export * from './providerKit';
export * from './recordedSpec';
export * from './changeForm';
