import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { OpenAmtDeploymentNameField } from './OpenAmtDeploymentNameField';
import { openAmtDeploymentNameValidation } from './validation';

export const OPEN_AMT_DEPLOYMENT_NAME_FIELD = 'OpenAmtDeploymentName';

/** The deployment name field for the new frontend system's scaffolder (FormFieldBlueprint). */
export const openAmtDeploymentNameFormField = createFormField({
  name: OPEN_AMT_DEPLOYMENT_NAME_FIELD,
  component: OpenAmtDeploymentNameField,
  validation: openAmtDeploymentNameValidation,
});
