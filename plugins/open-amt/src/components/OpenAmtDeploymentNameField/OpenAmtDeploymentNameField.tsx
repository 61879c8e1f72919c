import MuiTextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { changeOfIn } from './changeOf';

/**
 * The deployment's name: a text field like the scaffolder's EntityNamePicker, whose validation (validation.ts) also
 * refuses a name the catalog already has, on the form's first page rather than in the task. When the form changes a
 * deployment (changeOf, in the form data the scaffolder passes as formContext), it shows which, read-only.
 */
export const OpenAmtDeploymentNameField = (
  props: FieldExtensionComponentProps<string>,
) => {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors,
    formData,
    uiSchema,
    idSchema,
    formContext,
  } = props;
  const changeOf = changeOfIn(formContext?.formData);
  return (
    <MuiTextField
      id={idSchema?.$id}
      label={title}
      helperText={
        changeOf
          ? `Changing the deployment ${changeOf}: its name stays.`
          : description
      }
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      margin="normal"
      error={(rawErrors?.length ?? 0) > 0 && !formData}
      // The template's ui:autofocus, as EntityNamePicker honours it: the form's first field.
      inputProps={{
        autoFocus: Boolean(uiSchema?.['ui:autofocus']) && !changeOf,
        readOnly: Boolean(changeOf),
      }}
    />
  );
};
