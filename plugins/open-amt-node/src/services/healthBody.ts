/**
 * MPS and RPS health bodies: `{ db: { name, status }, secretStore: { name, status } }`. db.status is "OK" when
 * SELECT 1 works (else e.g. "invalid_password"); secretStore.status is Vault's sys/health JSON, or a string when
 * Vault could not be asked.
 */
export interface ToolkitHealthBody {
  db?: { name?: string; status?: unknown };
  secretStore?: { name?: string; status?: unknown };
}

export function isToolkitHealthBody(
  value: unknown,
): value is ToolkitHealthBody {
  return (
    !!value &&
    typeof value === 'object' &&
    ('db' in value || 'secretStore' in value)
  );
}

/** What failed inside a service, by the fields the service reports. */
export function failedParts(body: ToolkitHealthBody): string[] {
  const parts: string[] = [];
  const db = body.db?.status;
  if (db !== undefined && db !== 'OK')
    parts.push(
      `database ${body.db?.name ?? ''} ${
        typeof db === 'string' ? db : 'failed'
      }`.replace(/\s+/g, ' '),
    );
  const store = body.secretStore?.status;
  if (typeof store === 'string' && store !== 'OK')
    parts.push(
      `secret store ${body.secretStore?.name ?? ''} ${store}`.replace(
        /\s+/g,
        ' ',
      ),
    );
  if (store && typeof store === 'object') {
    const vault = store as { initialized?: boolean; sealed?: boolean };
    if (vault.initialized === false)
      parts.push(
        `secret store ${body.secretStore?.name ?? ''} not initialized`.replace(
          /\s+/g,
          ' ',
        ),
      );
    else if (vault.sealed === true)
      parts.push(
        `secret store ${body.secretStore?.name ?? ''} sealed`.replace(
          /\s+/g,
          ' ',
        ),
      );
  }
  return parts;
}

/** The parts' own states for details (no secrets: names and status words only). */
export function partDetails(body: ToolkitHealthBody): Record<string, unknown> {
  const store = body.secretStore?.status;
  return {
    db: body.db
      ? {
          name: body.db.name,
          status:
            typeof body.db.status === 'string' ? body.db.status : 'unknown',
        }
      : undefined,
    secretStore: body.secretStore
      ? {
          name: body.secretStore.name,
          status: typeof store === 'string' ? store : undefined,
          sealed: (store as { sealed?: boolean } | undefined)?.sealed,
          initialized: (store as { initialized?: boolean } | undefined)
            ?.initialized,
          version: (store as { version?: string } | undefined)?.version,
        }
      : undefined,
  };
}
