import { z } from 'zod';
import { fqdn } from './fields';

/*
 * Fields are given as `zod => ({ … })` (the scaffolder actions' schema style): a section must be built with the zod
 * this package parses with, whatever zod version the adopter's own package has.
 */

/**
 * A gateway's section of the deployment spec: its id as `provider`, the public host every gateway serves, and its own
 * fields. Built-in and added gateways declare theirs with this, so the generic renderers can rely on `publicHost`.
 */
export function gatewaySpecSection<Id extends string, S extends z.ZodRawShape>(
  id: Id,
  fields: (zod: typeof z) => S,
) {
  return z.object({ provider: z.literal(id), publicHost: fqdn, ...fields(z) });
}

/** A secrets store's section of the deployment spec: its id as `provider` and its own fields. */
export function secretsSpecSection<Id extends string, S extends z.ZodRawShape>(
  id: Id,
  fields: (zod: typeof z) => S,
) {
  return z.object({ provider: z.literal(id), ...fields(z) });
}
