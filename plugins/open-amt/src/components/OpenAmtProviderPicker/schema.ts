import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** Value: a provider id; ui:options.kind: which replaceable part the picker chooses for. */
export const OpenAmtProviderPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      kind: z
        .enum(['database', 'secrets', 'gateway'])
        .describe('Which replaceable part to choose a provider for'),
    }),
});

export const OPEN_AMT_PROVIDER_PICKER_NAME = 'OpenAmtProviderPicker';

export type OpenAmtProviderPickerUiOptions = NonNullable<
  typeof OpenAmtProviderPickerFieldSchema.uiOptionsType
>;
export type OpenAmtProviderPickerProps =
  typeof OpenAmtProviderPickerFieldSchema.TProps;
