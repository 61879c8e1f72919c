/**
 * Open AMT deployments in Backstage: entity health card, deployment tab, fleet page and a
 * scaffolder provider picker.
 *
 * @packageDocumentation
 */
export {
  openAmtPlugin,
  EntityOpenAmtHealthCard,
  EntityOpenAmtDeploymentContent,
  OpenAmtFleetPage,
  OpenAmtProviderPickerFieldExtension,
  OpenAmtDeploymentNameFieldExtension,
} from './plugin';
export { openAmtApiRef, OpenAmtClient } from './api';
export type { OpenAmtApi, DeploymentRef, RefreshOutcome } from './api';
export { isOpenAmtDeploymentAvailable } from './lib/entity';
export {
  openAmtProviderPickerValidation,
  OpenAmtProviderPickerFieldSchema,
  OPEN_AMT_PROVIDER_PICKER_NAME,
} from './components/OpenAmtProviderPicker';
export type { OpenAmtProviderPickerUiOptions } from './components/OpenAmtProviderPicker';
export { openAmtDeploymentNameValidation } from './components/OpenAmtDeploymentNameField';
export {
  HEALTH_DATA_MARK,
  CARD_PAINTED_MARK,
  CARD_PAINT_MEASURE,
  PERF_MARKS_FLAG,
} from './lib/perf';
