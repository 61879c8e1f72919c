import { AuditorService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningContext } from '@open-amt-backstage/plugin-open-amt-node';
import { secretStoreRendererOf } from '../../render/providers';
import { entryRef } from '../../render/refs';
import { secretEntryName } from '../../secrets/entries';
import {
  meetsWebAdminPasswordRule,
  WEB_ADMIN_PASSWORD_RULE,
} from '../../secrets/generate';
import {
  generateEntry,
  databaseEndpointOf,
  databaseLoginMoved,
  probeBindingMatches,
  PROVISIONED_KINDS,
  ProvisionedKind,
  refreshedDerivedKeys,
} from '../../secrets/provision';
import { resolveStoreAuth, StoreAuthResolver } from '../../secrets/storeAuth';
import { audited } from '../audit';
import type { RenderProviders } from '../../render/providers';
import { parseSpecInput, specInputSchema } from '../specInput';
import { storeFieldOf } from '../storeField';
import { examples } from './provisionSecrets.examples';

/**
 * open-amt:secrets:provision — generates the JWT secret, web admin login and database app passwords and
 * writes them to the chosen store. Outputs references only. Existing values are kept unless `rotate`.
 * Each write runs in ctx.checkpoint, so a retried task does not write twice; values are never part of a
 * checkpoint (checkpoints are stored with the task). Dry-run contacts nothing.
 *
 * Audited as `secrets-provision` (severity medium; high with `rotate`, which replaces live credentials): who,
 * which store and which entry paths, then which entries were written or kept. Never a value.
 */
export function createProvisionSecretsAction(
  options: {
    /** The databases, gateways and stores the spec may name (default: the built-ins). */
    providers?: RenderProviders;
    config?: Config;
    resolveStoreAuth?: StoreAuthResolver;
    auditor?: AuditorService;
  } = {},
) {
  return createTemplateAction({
    id: 'open-amt:secrets:provision',
    description:
      'Generates strong secrets for an Open AMT deployment and writes them to its secrets store; outputs references only.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: specInputSchema,
        rotate: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Replace existing values (default false: existing values are kept)',
            ),
      },
      output: {
        refs: z =>
          z
            .record(z.string())
            .describe(
              'Store reference per entry (jwt, mpsweb, db-mps, db-rps, probe)',
            ),
        written: z =>
          z.array(z.string()).describe('Entries written by this run'),
        kept: z =>
          z
            .array(z.string())
            .describe('Entries that already existed and were kept'),
      },
    },
    async handler(ctx) {
      const spec = parseSpecInput(ctx.input.spec, options.providers);
      const rotate = ctx.input.rotate ?? false;
      const refs = Object.fromEntries(
        PROVISIONED_KINDS.map(k => [k, entryRef(spec, k)]),
      );
      // Dry-run gets no task secrets (the scaffolder withholds them) and must contact nothing.
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would provision ${PROVISIONED_KINDS.length} entries in ${spec.secrets.provider}`,
        );
        ctx.output('refs', refs);
        ctx.output('written', []);
        ctx.output('kept', []);
        return;
      }
      const auth = (options.resolveStoreAuth ?? resolveStoreAuth)(
        spec,
        ctx.secrets,
        options.config,
      );
      const adapter = secretStoreRendererOf(spec).adapter;
      const timeoutMs =
        options.config?.getOptionalNumber('openAmt.scaffolder.timeoutMs') ??
        30_000;
      // Reachability and permission first: an unreachable store fails naming the field, before any write.
      const probe = await adapter.probe(
        spec.secrets,
        auth,
        provisioningContext(timeoutMs),
      );
      if (probe.status === 'down') {
        throw new InputError(
          `${storeFieldOf(spec)}: the secrets store cannot be used: ${
            probe.message
          }`,
        );
      }
      // A web admin password kept from an earlier run or written by hand must meet MPS's rule too: refused here,
      // before any write, rather than kept and deployed (MPS itself refuses only an empty one).
      if (!rotate) {
        const web = await adapter.read(
          spec.secrets,
          auth,
          secretEntryName(spec, 'mpsweb'),
        );
        if (web && !meetsWebAdminPasswordRule(String(web.password ?? ''))) {
          throw new InputError(
            `The web admin password kept in ${refs.mpsweb} does not meet MPS's rule (${WEB_ADMIN_PASSWORD_RULE}): replace it in the store, or run with rotate to generate one.`,
          );
        }
      }
      const provisioned = await audited(
        options.auditor,
        {
          eventId: 'secrets-provision',
          severityLevel: rotate ? 'high' : 'medium',
          actor: ctx.user?.ref,
          meta: {
            deployment: spec.name,
            store: spec.secrets.provider,
            paths: Object.values(refs),
            rotate,
          },
        },
        async () => {
          const values: Partial<
            Record<ProvisionedKind, Record<string, string>>
          > = {};
          const written: string[] = [];
          const kept: string[] = [];
          for (const kind of PROVISIONED_KINDS) {
            const name = secretEntryName(spec, kind);
            // Read every attempt (reads are not mutations): a retry sees what an earlier attempt wrote.
            const existing = await adapter.read(spec.secrets, auth, name);
            let generated: Record<string, string> | undefined;
            // The probe entry is derived and bound to this deployment's endpoints: an unbound or differently bound
            // entry (scaffolded before binding existed, or for another database) is rewritten.
            // An app login made for another database gets a new password (databaseLoginMoved).
            const rebind =
              Boolean(existing) &&
              (kind === 'probe'
                ? !probeBindingMatches(spec, existing)
                : databaseLoginMoved(spec, kind, existing!));
            if (rebind && kind !== 'probe')
              ctx.logger.info(
                `${
                  refs[kind]
                } was made for another database than ${databaseEndpointOf(
                  spec,
                )}: it gets a new password, which open-amt:database:init sets there`,
              );
            // Connection strings are derived from the spec and the login: kept logins get the strings this spec implies.
            const refreshed =
              !rotate && existing && !rebind
                ? refreshedDerivedKeys(spec, kind, existing)
                : undefined;
            let mode = 'ensure';
            if (rotate) mode = 'rotate';
            else if (rebind) mode = 'rebind';
            else if (refreshed) mode = 'refresh';
            const result = await ctx.checkpoint({
              key: `open-amt.secrets.${name}.${mode}`,
              fn: async () => {
                if (refreshed) {
                  generated = refreshed;
                  const [res] = await adapter.write(
                    spec.secrets,
                    auth,
                    { [name]: generated },
                    { rotate: true },
                  );
                  return { written: res.written };
                }
                if (existing && !rotate && !rebind) return { written: false };
                generated = generateEntry(spec, kind, {
                  ...values,
                  ...(rebind && !rotate ? { probe: existing } : {}),
                });
                const [res] = await adapter.write(
                  spec.secrets,
                  auth,
                  { [name]: generated },
                  { rotate: rotate || rebind },
                );
                return { written: res.written };
              },
            });
            values[kind] =
              generated ??
              existing ??
              (await adapter.read(spec.secrets, auth, name));
            if (!values[kind])
              throw new Error(`entry ${name} is missing after provisioning`);
            (result.written ? written : kept).push(kind);
            ctx.logger.info(
              `${result.written ? 'Wrote' : 'Kept'} ${refs[kind]}`,
            );
          }
          return { written, kept };
        },
        outcome => ({ written: outcome.written, kept: outcome.kept }),
      );
      ctx.output('refs', refs);
      ctx.output('written', provisioned.written);
      ctx.output('kept', provisioned.kept);
    },
  });
}
