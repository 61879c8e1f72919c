/**
 * The parts every engine's connection string shares (scaffolder-backend-module-open-amt secrets/connectionString.ts:
 * `<scheme>://<user>:<password>@<host>:<port>/<database>?<flag>=<bool>&…`, user and password URI-encoded).
 * Errors name the problem, never the string (it holds the password).
 */
export interface ParsedUrl {
  user: string;
  password: string;
  host: string;
  port: number;
  database: string;
  flags: Record<string, boolean>;
}

export function parseConnectionUrl(
  text: string,
  scheme: string,
  flagNames: readonly string[],
): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${scheme} connection string is not a URL`);
  }
  if (url.protocol !== `${scheme}:`)
    throw new Error(`connection string does not start with ${scheme}://`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database || database.includes('/'))
    throw new Error(`${scheme} connection string needs a host and a database`);
  const port = Number(url.port);
  if (!url.port || !Number.isInteger(port))
    throw new Error(`${scheme} connection string needs a port`);
  const flags: Record<string, boolean> = {};
  for (const [name, value] of url.searchParams) {
    if (!flagNames.includes(name))
      throw new Error(`${scheme} connection string: unknown parameter ${name}`);
    if (value !== 'true' && value !== 'false')
      throw new Error(
        `${scheme} connection string: ${name} must be true or false`,
      );
    flags[name] = value === 'true';
  }
  for (const name of flagNames) flags[name] ??= false;
  return {
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    database,
    flags,
  };
}
