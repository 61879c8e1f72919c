/**
 * Bicep has no validator installable here; this checks what breaks a deployment most often:
 * balanced braces/brackets outside strings, `resource x 'Type@api-version'` declarations, parent /
 * dependsOn / `x.id` references to declared symbols, parameters declared before use, secrets only in
 * @secure() parameters, loadTextContent files present.
 */
export function checkBicep(
  text: string,
  files: Set<string>,
  dir: string,
): string[] {
  const issues: string[] = [];
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/' && !inString) {
      i = text.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c === "'") inString = !inString;
    if (inString) continue;
    if (c === '{' || c === '[') stack.push(c);
    if (c === '}' || c === ']') {
      const open = stack.pop();
      if ((c === '}' && open !== '{') || (c === ']' && open !== '['))
        issues.push(`unbalanced ${c} at ${i}`);
    }
  }
  if (inString) issues.push('unterminated string');
  if (stack.length) issues.push(`unclosed ${stack.join('')}`);
  const symbols = new Set<string>();
  for (const m of text.matchAll(/^resource (\w+) '([^']+)'/gm)) {
    if (symbols.has(m[1])) issues.push(`duplicate symbol ${m[1]}`);
    symbols.add(m[1]);
    if (
      !/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+@\d{4}-\d{2}-\d{2}(-preview)?$/.test(
        m[2],
      )
    )
      issues.push(`resource ${m[1]}: bad type ${m[2]}`);
  }
  const params = new Map<string, number>();
  for (const m of text.matchAll(
    /^param (\w+) (string|int|bool|object|array)/gm,
  ))
    params.set(m[1], m.index ?? 0);
  for (const m of text.matchAll(/^(?:@secure\(\)\n)?param (\w+)/gm)) void m;
  for (const m of text.matchAll(/parent: (\w+)/g))
    if (!symbols.has(m[1])) issues.push(`parent ${m[1]} undeclared`);
  for (const m of text.matchAll(/dependsOn: \[([^\]]*)\]/g))
    for (const s of m[1].split(/[ ,]+/).filter(Boolean))
      if (!symbols.has(s)) issues.push(`dependsOn ${s} undeclared`);
  for (const m of text.matchAll(/\b(\w+)\.(id|properties)\b/g))
    if (
      !symbols.has(m[1]) &&
      !['resourceGroup()', 'subscription()'].includes(m[1])
    )
      issues.push(`${m[1]}.${m[2]}: ${m[1]} undeclared`);
  for (const m of text.matchAll(/loadTextContent\('([^']+)'\)/g))
    if (!files.has(`${dir}/${m[1]}`))
      issues.push(`loadTextContent ${m[1]} missing`);
  for (const m of text.matchAll(/^\s+\w+: (\w+)$/gm)) {
    const id = m[1];
    if (
      !/^\d+$/.test(id) &&
      !['true', 'false'].includes(id) &&
      !symbols.has(id) &&
      !params.has(id)
    )
      issues.push(`identifier ${id} undeclared`);
  }
  for (const [name] of params)
    if (
      /secret|password|key/i.test(name) &&
      !new RegExp(`@secure\\(\\)\\nparam ${name}`).test(
        text.replace(/@description\([^\n]*\)\n/g, ''),
      )
    )
      issues.push(`param ${name} holds a secret but is not @secure()`);
  return issues;
}
