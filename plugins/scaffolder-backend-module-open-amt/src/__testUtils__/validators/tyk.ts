/** Tyk classic API definitions: required fields, unique ids/listen paths, JWT settings, policy references. */
import { GatewayRoute } from '@open-amt-backstage/plugin-open-amt-common';

export function checkTyk(
  apis: any[],
  policies: Record<string, any>,
  routes: readonly GatewayRoute[],
): string[] {
  const issues: string[] = [];
  const ids = new Set<string>();
  const listen = new Set<string>();
  for (const a of apis) {
    for (const f of ['name', 'api_id', 'org_id', 'proxy', 'version_data'])
      if (a[f] === undefined) issues.push(`${a.api_id}: missing ${f}`);
    if (ids.has(a.api_id)) issues.push(`duplicate api_id ${a.api_id}`);
    ids.add(a.api_id);
    if (a.protocol === 'tcp') {
      if (!a.listen_port) issues.push(`${a.api_id}: tcp API needs listen_port`);
      if (!String(a.proxy?.target_url).startsWith('tcp://'))
        issues.push(`${a.api_id}: tcp API target must be tcp://`);
      continue;
    }
    if (listen.has(a.proxy.listen_path))
      issues.push(`duplicate listen_path ${a.proxy.listen_path}`);
    listen.add(a.proxy.listen_path);
    if (!/^https?:\/\//.test(a.proxy.target_url))
      issues.push(`${a.api_id}: target_url must be http(s)`);
    if (a.enable_jwt) {
      if (a.use_keyless) issues.push(`${a.api_id}: JWT and keyless at once`);
      if (a.jwt_signing_method !== 'hmac')
        issues.push(
          `${a.api_id}: MPS signs HS256, jwt_signing_method must be hmac`,
        );
      if (a.jwt_identity_base_field !== 'iss')
        issues.push(`${a.api_id}: identity field must be iss`);
      for (const p of a.jwt_default_policies ?? [])
        if (!policies[p]) issues.push(`${a.api_id}: unknown policy ${p}`);
      if (!a.jwt_default_policies?.length)
        issues.push(`${a.api_id}: JWT without default policy`);
    }
  }
  for (const [id, p] of Object.entries<any>(policies))
    for (const apiId of Object.keys(p.access_rights ?? {}))
      if (!ids.has(apiId))
        issues.push(`policy ${id} grants unknown API ${apiId}`);
  for (const r of routes) {
    const api = apis.find(a => a.api_id.endsWith(`-${r.name}`));
    if (!api) issues.push(`required route ${r.name} missing`);
    else if (Boolean(api.enable_jwt) !== r.jwt)
      issues.push(
        `route ${r.name}: jwt ${api.enable_jwt} but ${r.jwt} required`,
      );
  }
  return issues;
}
