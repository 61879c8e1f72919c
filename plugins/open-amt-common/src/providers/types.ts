import type { z } from 'zod';

/**
 * native: the upstream MPS/RPS images run with this choice as they are.
 * kit:    the upstream MPS/RPS images run with a provider this project supplies (the provider kit,
 *         plugins/open-amt-provider-kit), added to them by the images the deployment's own repository builds.
 * custom: a provider an adopter's module added (extension points): its provider, and for a database or secrets
 *         store the MPS/RPS images that load it, are the adopter's own. No built-in row is custom.
 */
export const SUPPORT_LEVELS = ['native', 'kit', 'custom'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

/**
 * The zod object a provider's section of the deployment spec (`secrets`, `gateway`) is checked with: `provider` is the
 * provider's id (a literal), the rest its own fields. Built with gatewaySpecSection / secretsSpecSection.
 */
export type ProviderSpecSchema = z.AnyZodObject;

export type ProviderKind = 'database' | 'secrets' | 'gateway';

export interface ProviderInfo<Id extends string = string> {
  id: Id;
  kind: ProviderKind;
  /** Readable name shown in forms, cards and runbooks. */
  label: string;
  supportLevel: SupportLevel;
  /** One sentence on what the choice implies for the operator. */
  implication: string;
  /**
   * Set when the choice cannot fully work because of a vendor limitation: what fails and why. The picker, the
   * runbook and the health card show it; such a row is not production-ready.
   */
  limitation?: string;
  /**
   * What of the deployment's behaviour with this choice is not verified: modelled from the vendor's documentation
   * only, or taken from the vendor's source (with its own test cases) but never run here. The picker, the runbook and
   * the health card show it as "Not verified: …", so the operator knows what to check first.
   */
  notVerified?: string;
  /** Vendor documentation for the product. */
  docsUrl: string;
  /** Where an operator looks at the product's own console, when it has one. */
  consoleUrl?: string;
  /**
   * What its section of the spec must not do in a production deployment: one message per field (a path within the
   * section), checked with the other cross-field rules.
   */
  productionIssues?(
    section: Record<string, unknown>,
  ): { path: string; message: string }[];
}
