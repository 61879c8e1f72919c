import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  findProvider,
  listProviders,
  ProviderKind,
} from '@open-amt-backstage/plugin-open-amt-common';
import { OpenAmtProviderPickerUiOptions } from './schema';

const KINDS: ProviderKind[] = ['database', 'secrets', 'gateway'];

/** Rejects ids the provider registry does not know for the picker's kind (e.g. a stale query param). */
export const openAmtProviderPickerValidation: CustomFieldValidator<
  string,
  OpenAmtProviderPickerUiOptions
> = (value, validation, context) => {
  if (value === undefined || value === null || value === '') return;
  const requested = context.uiSchema?.['ui:options']?.kind;
  const kinds = KINDS.includes(requested as ProviderKind)
    ? [requested as ProviderKind]
    : KINDS;
  if (kinds.some(kind => findProvider(kind, String(value)))) return;
  const known = kinds.flatMap(kind => listProviders(kind).map(p => p.id));
  const what = kinds.length === 1 ? `${kinds[0]} provider` : 'provider';
  validation.addError(
    `Unknown ${what} "${value}". Choose one of: ${known.join(', ')}.`,
  );
};
