/** Shell: a JSON object whose keys hold the contents of files (key → a shell variable with the file's path). */
export function jsonFromFiles(files: Record<string, string>): string {
  const args = Object.entries(files)
    .map(([key, file]) => `--rawfile ${key} "${file}"`)
    .join(' ');
  const object = Object.keys(files)
    .map(key => `${key}: $${key}`)
    .join(', ');
  return `jq -n ${args} '{${object}}'`;
}
