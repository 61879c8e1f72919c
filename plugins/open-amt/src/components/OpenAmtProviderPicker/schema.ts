import {
  FieldSchema,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import { ProviderKind } from '@open-amt-backstage/plugin-open-amt-common';

/** Value: a provider id; ui:options.kind: which replaceable part the picker chooses for. */
// Typed, not inferred: the inferred enum union prints in the compiler's order, which moves with unrelated code.
export const OpenAmtProviderPickerFieldSchema: FieldSchema<
  string,
  { kind: ProviderKind }
> = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      kind: z
        .enum(['database', 'secrets', 'gateway'] as const)
        .describe('Which replaceable part to choose a provider for'),
    }),
});

export const OPEN_AMT_PROVIDER_PICKER_NAME = 'OpenAmtProviderPicker';

export type OpenAmtProviderPickerUiOptions = NonNullable<
  typeof OpenAmtProviderPickerFieldSchema.uiOptionsType
>;
export type OpenAmtProviderPickerProps =
  typeof OpenAmtProviderPickerFieldSchema.TProps;
