export { OpenAmtProviderPicker } from './OpenAmtProviderPicker';
export { openAmtProviderPickerValidation } from './validation';
export {
  OpenAmtProviderPickerFieldSchema,
  OPEN_AMT_PROVIDER_PICKER_NAME,
} from './schema';
export type { OpenAmtProviderPickerUiOptions } from './schema';
