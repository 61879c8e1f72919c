import type { FileChange } from '../../render/diff';

/** GitHub refuses a pull request body over 65,536 characters; the patches are cut to stay well under it. */
const PATCH_BUDGET = 50_000;

/** The pull request's description: which fields changed, which files, and the patches (cut when too long). */
export function pullRequestDescription(options: {
  name: string;
  fields: { path: string; before: unknown; after: unknown }[];
  files: FileChange[];
}): string {
  const { name, fields, files } = options;
  const show = (v: unknown) =>
    v === undefined ? '(none)' : `\`${JSON.stringify(v)}\``;
  const lines = [
    `Changes the Open AMT deployment **${name}**, re-rendered by the portal's production template from the spec its System records (open-amt.io/deployment-spec).`,
    '',
    '### Spec fields',
    ...fields.map(f => `- \`${f.path}\`: ${show(f.before)} → ${show(f.after)}`),
    '',
    '### Files',
    ...files.map(f => `- ${f.kind} \`${f.path}\``),
  ];
  const removed = files.filter(f => f.kind === 'removed');
  if (removed.length)
    lines.push(
      '',
      `Delete the removed file${
        removed.length > 1 ? 's' : ''
      } in this branch before merging: the scaffolder's pull-request actions add and update files only.`,
    );
  lines.push('', '### Patches');
  let used = 0;
  for (const f of files) {
    if (used + f.patch.length > PATCH_BUDGET) {
      lines.push(
        '',
        `(patches of ${
          files.length - files.indexOf(f)
        } more files left out for length: see the pull request's diff)`,
      );
      break;
    }
    used += f.patch.length;
    lines.push('', '```diff', f.patch.trimEnd(), '```');
  }
  return lines.join('\n');
}
