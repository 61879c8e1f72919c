export { EntityOpenAmtDeploymentContent } from './EntityOpenAmtDeploymentContent';
