import type { z } from 'zod';

/**
 * native: the upstream MPS/RPS images run with this choice as they are.
 * custom: the toolkit's Database/Secrets guides require a custom provider compiled into MPS and RPS
 *         (implement IDB / ISecretManagerService and select it with db_provider / secrets_provider).
 */
export type SupportLevel = 'native' | 'custom';

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
