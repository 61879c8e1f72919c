/**
 * The pull request's description (and the dry-run's report) of an upgrade: what changes, in which order it restarts,
 * the schema migration. Markdown; patches are cut to keep it under the hosts' size limits (GitHub: 65,536 characters),
 * the pull request's own diff has them all.
 */
import { summarizeFileChanges } from '../../render/diff';
import type { UpgradePlan } from './upgradePlan';

const PATCH_BUDGET = 40_000;

export function upgradeDescription(
  plan: UpgradePlan,
  entityRef: string,
  migrated: 'applied' | 'planned',
): string {
  const { before, after } = plan;
  const lines = [
    `Upgrades ${entityRef} from toolkit ${before.toolkitRelease} to ${after.toolkitRelease}.`,
    '',
    '## Restart order (after merging)',
    '',
    'MPS and RPS read their configuration once at start: nothing changes until they restart. Migrate the schema before any new image starts.',
    '',
    `1. Schema migration: ${
      migrated === 'applied'
        ? 'applied by the upgrade task (below)'
        : 'not applied yet (dry run): the upgrade task applies it'
    }.`,
    ...plan.restartOrder.map(
      (s, i) =>
        `${i + 2}. ${s.part}: ${s.restarts ? 'restart' : 'no restart'} — ${
          s.reason
        }${
          s.commands.length
            ? ` (${s.commands.map(c => `\`${c}\``).join(', then ')})`
            : ''
        }`,
    ),
    '',
    '## Schema migration',
    '',
    ...plan.hops.flatMap(h => [
      `### ${h.from} → ${h.to}`,
      '',
      ...(h.sql
        ? (['rps', 'mps'] as const).flatMap(side => [
            `${side} (\`${
              side === 'rps'
                ? before.database.rpsDatabase
                : before.database.mpsDatabase
            }\`): ${h.sql![side].length ? '' : 'no change'}`,
            ...(h.sql![side].length
              ? ['', '```sql', ...h.sql![side], '```']
              : []),
            '',
          ])
        : [
            `The ${before.database.provider} adapter cannot list its statements (not checkable here); it migrates when the task runs.`,
            '',
          ]),
    ]),
    ...(plan.warnings.length
      ? ['## Pinned images', '', ...plan.warnings.map(w => `- ${w}`), '']
      : []),
    '## Files',
    '',
    ...summarizeFileChanges(plan.fileChanges).map(l => `- ${l}`),
    ...(plan.fileChanges.some(c => c.kind === 'removed')
      ? [
          '',
          'Files marked removed are no longer rendered: delete them in this branch (pull request actions only add and update files).',
        ]
      : []),
    '',
  ];
  let budget = PATCH_BUDGET;
  for (const change of plan.fileChanges) {
    if (change.patch.length > budget) {
      lines.push(
        `Further patches are left out here (size); the pull request's diff shows them.`,
      );
      break;
    }
    budget -= change.patch.length;
    lines.push(
      `<details><summary>${change.kind} ${change.path}</summary>`,
      '',
      '```diff',
      change.patch.trimEnd(),
      '```',
      '',
      '</details>',
    );
  }
  return lines.join('\n');
}
