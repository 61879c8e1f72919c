import { listProviders } from './registry';
import { ProviderInfo, ProviderKind } from './types';

/** The kinds an adopter can add providers of, in the order forms and cards show them. */
export const PROVIDER_KINDS: readonly ProviderKind[] = [
  'database',
  'secrets',
  'gateway',
];

/**
 * What the picker and the health card show of one provider: its registry entry without the code (spec schema,
 * production checks) that only the backend runs.
 */
export type ProviderSummary = Pick<
  ProviderInfo,
  | 'id'
  | 'kind'
  | 'label'
  | 'supportLevel'
  | 'implication'
  | 'limitation'
  | 'notVerified'
  | 'docsUrl'
  | 'consoleUrl'
>;

/**
 * GET /api/open-amt/providers — the providers the backend knows, per kind: the built-ins and those adopters' modules
 * added. Deployment targets are not in it: they are a closed list (TARGETS) no module extends.
 */
export type ProviderRegistryAnswer = Record<ProviderKind, ProviderSummary[]>;

/** A registry entry as the REST answer carries it (only the fields a person reads). */
export function providerSummaryOf(info: ProviderInfo): ProviderSummary {
  const summary: ProviderSummary = {
    id: info.id,
    kind: info.kind,
    label: info.label,
    supportLevel: info.supportLevel,
    implication: info.implication,
    docsUrl: info.docsUrl,
  };
  if (info.limitation) summary.limitation = info.limitation;
  if (info.notVerified) summary.notVerified = info.notVerified;
  if (info.consoleUrl) summary.consoleUrl = info.consoleUrl;
  return summary;
}

/** Registry entries per kind as the REST answer carries them. */
export function providerRegistryAnswerOf(
  entries: Record<ProviderKind, readonly ProviderInfo[]>,
): ProviderRegistryAnswer {
  return {
    database: entries.database.map(providerSummaryOf),
    secrets: entries.secrets.map(providerSummaryOf),
    gateway: entries.gateway.map(providerSummaryOf),
  };
}

/** The built-in providers alone, as GET /providers answers without any added module. */
export function builtInProviderRegistry(): ProviderRegistryAnswer {
  return providerRegistryAnswerOf({
    database: listProviders('database'),
    secrets: listProviders('secrets'),
    gateway: listProviders('gateway'),
  });
}
