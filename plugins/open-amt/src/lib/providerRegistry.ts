import {
  builtInProviderRegistry,
  ProviderKind,
  ProviderRegistryAnswer,
  ProviderSummary,
} from '@open-amt-backstage/plugin-open-amt-common';
import type { OpenAmtApi } from '../api';

/**
 * The providers the portal shows (labels, support levels, limitations). `backend`: what GET /providers answered,
 * adopters' added providers included. `loading` / `failed`: common's built-in list, the only one known until the
 * answer arrives or when the call failed.
 */
export interface ProviderRegistryView {
  source: 'backend' | 'loading' | 'failed';
  list(kind: ProviderKind): ProviderSummary[];
  /** The provider of that kind and id; undefined for an id the registry does not hold (never guessed). */
  find(kind: ProviderKind, id: string | undefined): ProviderSummary | undefined;
}

export function providerRegistryView(
  answer: ProviderRegistryAnswer,
  source: ProviderRegistryView['source'],
): ProviderRegistryView {
  // An answer without a kind (a backend of another version) lists none of it rather than failing.
  const list = (kind: ProviderKind) =>
    Array.isArray(answer[kind]) ? answer[kind] : [];
  return {
    source,
    list,
    find: (kind, id) =>
      id === undefined ? undefined : list(kind).find(p => p.id === id),
  };
}

const builtIn = builtInProviderRegistry();
export const LOADING_REGISTRY = providerRegistryView(builtIn, 'loading');
export const FAILED_REGISTRY = providerRegistryView(builtIn, 'failed');

/** One request per API for every picker, card and validator on the page; a failed one is forgotten (retried later). */
const loads = new WeakMap<OpenAmtApi, Promise<ProviderRegistryView>>();

export function loadProviderRegistry(
  api: OpenAmtApi,
): Promise<ProviderRegistryView> {
  const known = loads.get(api);
  if (known) return known;
  const load = api.listProviders().then(
    answer => providerRegistryView(answer, 'backend'),
    error => {
      loads.delete(api);
      throw error;
    },
  );
  loads.set(api, load);
  return load;
}
