export { createRenderDeploymentAction } from './render/render';
export { createProvisionSecretsAction } from './provisionSecrets/provisionSecrets';
export { createInitDatabaseAction } from './initDatabase/initDatabase';
export { createPreflightAction } from './preflight/preflight';
export { createUpgradeDeploymentAction } from './upgrade/upgrade';
export { createDiffDeploymentAction } from './diff/diff';
export { createRotateSecretsAction } from './rotateSecrets/rotateSecrets';
