import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { deploymentEntityRef } from '@open-amt-backstage/plugin-open-amt-common';
import { changeOfIn } from './changeOf';

/**
 * Refuses a name whose System the catalog already lists: the template creates deployments, and a second run under
 * the same name would publish a second catalog-info.yaml for one entity. Changing a deployment (the form's changeOf)
 * is the exception: the name must then be that deployment's. The task's preflight checks both again with the
 * portal's own identity (a System this user may not read).
 */
export const openAmtDeploymentNameValidation: CustomFieldValidator<
  string
> = async (value, validation, context) => {
  if (!value) return;
  const ref = deploymentEntityRef(value);
  const changeOf = changeOfIn(context.formData);
  if (changeOf) {
    if (changeOf !== ref)
      validation.addError(
        `This form changes ${changeOf}; a change keeps the deployment's name.`,
      );
    return;
  }
  const catalogApi = context.apiHolder?.get(catalogApiRef);
  if (!catalogApi) return;
  const existing = await catalogApi.getEntityByRef(ref).catch(() => undefined);
  if (existing)
    validation.addError(
      `A deployment named ${value} exists already (${ref}); choose another name: this template creates new deployments.`,
    );
};
