import useAsync from 'react-use/esm/useAsync';
import { useApiHolder } from '@backstage/core-plugin-api';
import { openAmtApiRef } from '../api';
import {
  FAILED_REGISTRY,
  LOADING_REGISTRY,
  loadProviderRegistry,
  ProviderRegistryView,
} from '../lib/providerRegistry';

/**
 * The backend's provider registry (built-ins and providers adopters added), or common's built-in list while it loads
 * and when the call fails (also when the app has no Open AMT API, e.g. a scaffolder page rendered on its own).
 */
export function useProviderRegistry(): ProviderRegistryView {
  const api = useApiHolder().get(openAmtApiRef);
  const state = useAsync(
    async () => (api ? loadProviderRegistry(api) : FAILED_REGISTRY),
    [api],
  );
  if (state.loading) return LOADING_REGISTRY;
  return state.value ?? FAILED_REGISTRY;
}
