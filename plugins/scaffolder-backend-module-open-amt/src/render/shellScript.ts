/**
 * The opening of a generated bash script: shebang, a comment, strict mode, and a `cd` to the script's own folder
 * (then `relative`, e.g. `..`). The folder comes from `$0` by parameter expansion rather than a `dirname` process:
 * `$0` has a slash unless the script is run from its own folder, where no `cd` is needed.
 */
export function scriptHeader(comment: string, relative?: string): string[] {
  return [
    '#!/usr/bin/env bash',
    `# ${comment}`,
    'set -euo pipefail',
    'case $0 in */*) cd "${0%/*}" ;; esac',
    ...(relative ? [`cd ${relative}`] : []),
  ];
}
