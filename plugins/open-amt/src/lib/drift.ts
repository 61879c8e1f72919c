/** A group of gateway differences from the live configuration, ready to list. */
export interface DriftGroup {
  title: string;
  items: string[];
}

const GROUP_TITLES: Record<string, string> = {
  missing: 'Missing routes',
  missingRoutes: 'Missing routes',
  unexpected: 'Unexpected routes',
  extra: 'Unexpected routes',
  extraRoutes: 'Unexpected routes',
  changed: 'Routes that differ',
  mismatched: 'Routes that differ',
  differences: 'Differences',
};

/**
 * Reads `details.drift` of the gateway component. The probe reports a list, or an object of lists
 * (missing / unexpected / changed …); each entry a string or an object naming the route.
 */
export function driftGroupsOf(drift: unknown): DriftGroup[] {
  if (drift === undefined || drift === null || drift === false) return [];
  if (typeof drift === 'string')
    return drift ? [{ title: 'Differences', items: [drift] }] : [];
  if (Array.isArray(drift)) {
    const items = drift.map(describe).filter(Boolean);
    return items.length ? [{ title: 'Differences', items }] : [];
  }
  if (typeof drift === 'object') {
    return Object.entries(drift as Record<string, unknown>)
      .map(([key, value]) => ({
        title: GROUP_TITLES[key] ?? humanize(key),
        items: (Array.isArray(value) ? value : [value])
          .map(describe)
          .filter(Boolean),
      }))
      .filter(group => group.items.length > 0);
  }
  return [{ title: 'Differences', items: [String(drift)] }];
}

function describe(item: unknown): string {
  if (item === null || item === undefined) return '';
  if (typeof item !== 'object') return String(item);
  const o = item as Record<string, unknown>;
  const subject = [o.name ?? o.route, o.path]
    .filter(v => v !== undefined)
    .map(String);
  const parts = [subject.join(' ')];
  const problem = o.message ?? o.problem ?? o.reason;
  if (problem !== undefined) parts.push(String(problem));
  if (o.field !== undefined) parts.push(`field ${String(o.field)}`);
  if (o.expected !== undefined || o.actual !== undefined) {
    parts.push(`expected ${show(o.expected)}, found ${show(o.actual)}`);
  }
  const text = parts.filter(Boolean).join(' — ');
  return text || JSON.stringify(item);
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

function humanize(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
