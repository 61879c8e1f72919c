export { OpenAmtDeploymentNameField } from './OpenAmtDeploymentNameField';
export { openAmtDeploymentNameValidation } from './validation';
