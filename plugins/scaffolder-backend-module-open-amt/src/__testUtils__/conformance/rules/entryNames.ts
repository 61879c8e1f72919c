import { runRunbook, storeKeyOfRef } from '../runbook/harness';
import { externalSecretReads } from '../runbook/externalSecretReads';
import { startRequirements } from '../runbook/startRequirements';
import type { RenderedOutput } from '../output';
import type { ConformanceRule } from '../types';

/**
 * The stores' naming rules, by stand-in key prefix: Azure Key Vault object names are 1–127 of [0-9a-zA-Z-]
 * (Azure docs "Key Vault keys, secrets and certificates overview", object identifiers); Secrets Manager names are
 * 1–512 of ASCII letters, digits and /_+=.@- (AWS API reference, CreateSecret `Name`); a Vault KV v2 path has no
 * empty, `.` or `..` segment (Vault normalises `//` and rejects traversal, so the name read differs from the one written).
 */
const NAMING: Record<string, { rule: RegExp; says: string }> = {
  azure: {
    rule: /^[0-9a-zA-Z-]{1,127}$/,
    says: 'Key Vault names are 1–127 of [0-9a-zA-Z-]',
  },
  aws: {
    rule: /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    says: 'Secrets Manager names are 1–512 of [A-Za-z0-9/_+=.@-]',
  },
  vault: {
    rule: /^(?!\.{1,2}(\/|$))[^/]+(\/(?!\.{1,2}(\/|$))[^/]+)*$/,
    says: 'a KV v2 path has no empty, . or .. segment',
  },
};

/** The name inside its store (after `<store>:<vault or region or mount>/`). */
const nameOf = (key: string) => key.replace(/^[a-z]+:[^/]+\//, '');

export const entryNamesRule: ConformanceRule = {
  id: 'names.end-to-end',
  fact:
    'One name end to end: every entry an ExternalSecret reads (key and property) is one a runbook step or a portal ' +
    'action writes, every entry an operator step writes is one a reader (resolve-secrets.sh, an ExternalSecret, a ' +
    "portal action, the portal's probe, a container at start such as ESPv2's service) reads, and every name written obeys the store's naming rules — compared on the names the " +
    "harness recorded when the runbook's commands ran, not on the renderer's text.",
  source:
    'issue 18 class 6; Azure Key Vault object naming (docs: "Key Vault keys, secrets and certificates overview"); ' +
    'AWS Secrets Manager CreateSecret `Name`; External Secrets Operator provider docs (Vault KV v2, Azure Key Vault, ' +
    'AWS Secrets Manager remoteRef.key/property)',
  check(out: RenderedOutput) {
    if (!out.file('README.md')) return [];
    const run = runRunbook(out);
    const violations: string[] = [];
    const esReads = out.composeServices() ? [] : externalSecretReads(out);
    for (const read of esReads) {
      const fields = run.stored.get(read.key);
      if (!fields)
        violations.push(
          `ExternalSecret ${read.externalSecret} reads ${
            read.key
          }, which no step of the runbook writes${
            run.writes.size
              ? ` (written: ${[...run.writes.keys()].map(nameOf).join(', ')})`
              : ''
          }`,
        );
      else if (read.property && !(read.property in fields))
        violations.push(
          `ExternalSecret ${read.externalSecret} reads the key ${
            read.property
          } of ${read.key}, which holds ${
            Object.keys(fields).join(', ') || 'no JSON keys'
          }`,
        );
    }
    // The portal's health checks read the entry catalog-info.yaml names (open-amt.io/credentials-ref).
    const catalogReads = out
      .yaml('catalog-info.yaml')
      .map(e => e?.metadata?.annotations?.['open-amt.io/credentials-ref'])
      .filter((ref): ref is string => typeof ref === 'string');
    for (const ref of new Set(catalogReads))
      if (!run.stored.has(storeKeyOfRef(ref)))
        violations.push(
          `catalog-info.yaml: open-amt.io/credentials-ref ${ref} names an entry no step or portal action writes`,
        );
    const read = new Set([
      ...run.reads.map(r => r.key),
      ...esReads.map(r => r.key),
      ...catalogReads.map(storeKeyOfRef),
      ...startRequirements(out).map(r => r.key),
    ]);
    const operatorSteps = new Set(
      run.steps.filter(s => s.commands.length).map(s => s.number),
    );
    for (const [key, steps] of run.writes) {
      const byOperator = steps.find(s => operatorSteps.has(s));
      if (byOperator !== undefined && !read.has(key) && run.completed)
        violations.push(
          `README.md step ${byOperator} stores ${key}, which nothing reads (its readers read ${
            [...read].map(nameOf).join(', ') || 'nothing'
          })`,
        );
      const naming = NAMING[key.split(':')[0]];
      if (naming && !naming.rule.test(nameOf(key)))
        violations.push(
          `${nameOf(key)} is written to the store, but ${naming.says}`,
        );
    }
    return violations;
  },
};
