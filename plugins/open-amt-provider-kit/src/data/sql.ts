/**
 * A statement as text pieces and bound values, so the table logic is written once and each dialect renders its own
 * placeholders (`?` for MariaDB, `@p0…` for SQL Server). Values never become SQL text.
 */
type Chunk = { text: string } | { value: unknown };

export class Sql {
  constructor(readonly chunks: readonly Chunk[]) {}
}

/** `sql\`… ${value} …\``: interpolated Sql is inlined, anything else is a bound value. */
export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  const chunks: Chunk[] = [];
  strings.forEach((text, i) => {
    chunks.push({ text });
    if (i < args.length) {
      const arg = args[i];
      if (arg instanceof Sql) chunks.push(...arg.chunks);
      else chunks.push({ value: arg });
    }
  });
  return new Sql(chunks);
}

/** Trusted SQL text (identifiers from our own table specs, never input). */
export const raw = (text: string) => new Sql([{ text }]);

export function joinSql(items: readonly Sql[], separator: string): Sql {
  const chunks: Chunk[] = [];
  items.forEach((item, i) => {
    if (i > 0) chunks.push({ text: separator });
    chunks.push(...item.chunks);
  });
  return new Sql(chunks);
}

export interface Rendered {
  text: string;
  values: unknown[];
}

export function render(
  statement: Sql,
  placeholder: (index: number) => string,
): Rendered {
  let text = '';
  const values: unknown[] = [];
  for (const chunk of statement.chunks) {
    if ('text' in chunk) text += chunk.text;
    else {
      text += placeholder(values.length);
      values.push(chunk.value);
    }
  }
  return { text, values };
}
