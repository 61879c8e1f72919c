import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CHANGE_OF_PARAMETER } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * The System ref the form changes (the template's changeOf field, set by "Change this deployment"), normalized;
 * undefined when the form creates a deployment.
 */
export function changeOfIn(
  formData: Record<string, unknown> | undefined,
): string | undefined {
  const raw = formData?.[CHANGE_OF_PARAMETER];
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(raw.trim(), { defaultKind: 'system' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return raw.trim();
  }
}
