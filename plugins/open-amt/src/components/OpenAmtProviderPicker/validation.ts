import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  PROVIDER_KINDS,
  ProviderKind,
} from '@open-amt-backstage/plugin-open-amt-common';
import { openAmtApiRef } from '../../api';
import {
  FAILED_REGISTRY,
  loadProviderRegistry,
} from '../../lib/providerRegistry';
import { OpenAmtProviderPickerUiOptions } from './schema';

/**
 * Rejects ids the provider registry does not know for the picker's kind (e.g. a stale query param). The registry is
 * the backend's (added providers included), common's built-in list when it cannot be read: the list the picker shows.
 */
export const openAmtProviderPickerValidation: CustomFieldValidator<
  string,
  OpenAmtProviderPickerUiOptions
> = async (value, validation, context) => {
  if (value === undefined || value === null || value === '') return;
  const requested = context.uiSchema?.['ui:options']?.kind;
  const kinds = PROVIDER_KINDS.includes(requested as ProviderKind)
    ? [requested as ProviderKind]
    : PROVIDER_KINDS;
  const api = context.apiHolder?.get(openAmtApiRef);
  const registry = api
    ? await loadProviderRegistry(api).catch(() => FAILED_REGISTRY)
    : FAILED_REGISTRY;
  if (kinds.some(kind => registry.find(kind, String(value)))) return;
  const known = kinds.flatMap(kind => registry.list(kind).map(p => p.id));
  const what = kinds.length === 1 ? `${kinds[0]} provider` : 'provider';
  validation.addError(
    `Unknown ${what} "${value}". Choose one of: ${known.join(', ')}.`,
  );
};
