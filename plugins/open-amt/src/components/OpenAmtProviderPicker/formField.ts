import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { OpenAmtProviderPicker } from './OpenAmtProviderPicker';
import {
  OPEN_AMT_PROVIDER_PICKER_NAME,
  OpenAmtProviderPickerFieldSchema,
} from './schema';
import { openAmtProviderPickerValidation } from './validation';

/** The provider picker for the new frontend system's scaffolder (FormFieldBlueprint). */
export const openAmtProviderPickerFormField = createFormField({
  name: OPEN_AMT_PROVIDER_PICKER_NAME,
  component: OpenAmtProviderPicker,
  validation: openAmtProviderPickerValidation,
  schema: OpenAmtProviderPickerFieldSchema,
});
