/**
 * Amazon API Gateway (REST API) as its developer guide documents it:
 * - resources from the OpenAPI import; `{proxy+}` is a greedy variable; the most specific resource wins; a
 *   method the resource lacks is refused (403 "Missing Authentication Token");
 * - an `http_proxy` integration passes the request through, query string included, substituting the mapped path
 *   parameters into its URI;
 * - an integration reaches its endpoint over the public internet unless it is a private integration
 *   (`connectionType: VPC_LINK`), so a private name is only reachable through a VPC link whose stage variable
 *   resolves to a VpcLink the stack creates;
 * - a method with a security requirement on a custom (Lambda) authorizer runs it before the integration;
 * - the browser calls the public host: only a custom domain name with a base path mapping makes API Gateway answer
 *   it, and one DNS name points at one endpoint, so the load balancer beside it cannot claim that host too;
 * - it has no transparent WebSocket proxy: upgrades go to the load balancer generated beside it (the websocket
 *   Ingress on EKS, the ALB of load-balancers.cfn.yaml on a VM), whose path rules forward without rewriting.
 */
import { isPrivateName } from '../graph';
import type { RenderedOutput } from '../output';
import type { ClientRequest } from '../traffic';
import { matchPath } from './openApiPaths';
import type { GatewayOutcome, GatewayTrafficModel } from './types';

const OPENAPI = 'gateway/aws-api-gateway/openapi.json';
const STACK = 'gateway/aws-api-gateway/api.cfn.yaml';
const LOAD_BALANCERS = 'gateway/aws-api-gateway/load-balancers.cfn.yaml';

export const awsDialect = {
  toPattern: (t: string) =>
    t.replace(/\{([^}+]+)\+\}/g, '*$1').replace(/\{([^}]+)\}/g, ':$1'),
};

function viaVpcLink(out: RenderedOutput, integration: any): string | undefined {
  if (integration.connectionType !== 'VPC_LINK')
    return 'the integration is not private (no connectionType VPC_LINK), so API Gateway looks for it on the public internet';
  const variable = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/.exec(
    String(integration.connectionId ?? ''),
  )?.[1];
  const stack = out.yaml(STACK)[0];
  const stage = Object.values<any>(stack?.Resources ?? {}).find(
    r => r.Type === 'AWS::ApiGateway::Stage',
  );
  const ref = variable
    ? stage?.Properties?.Variables?.[variable]?.Ref
    : undefined;
  if (!ref || stack.Resources[ref]?.Type !== 'AWS::ApiGateway::VpcLink')
    return `its connectionId ${integration.connectionId} names no VpcLink of ${STACK}`;
  return undefined;
}

/** Upgrades: the load balancer beside API Gateway, matched on its path rules, forwarding the path unchanged. */
function websocket(
  out: RenderedOutput,
  request: ClientRequest,
): GatewayOutcome {
  const [path, ...rest] = request.url.split('?');
  const query = rest.join('?');
  const ingress = out.kubernetesObjects().find(o => o.kind === 'Ingress');
  if (ingress) {
    const host = ingress.spec?.rules?.[0]?.host;
    if (host === out.spec.gateway.publicHost)
      return {
        refused: `Ingress ${ingress.metadata.name} claims ${host}, which the API Gateway custom domain holds (one DNS record, one endpoint)`,
      };
    const paths: any[] =
      ingress.spec?.rules?.flatMap((r: any) => r.http?.paths ?? []) ?? [];
    const hit = paths
      .filter(p =>
        p.pathType === 'Exact'
          ? path === p.path
          : path === p.path || path.startsWith(`${p.path.replace(/\/$/, '')}/`),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!hit)
      return {
        refused: `no path of Ingress ${ingress.metadata.name} takes the upgrade (the ALB answers 404)`,
      };
    const svc = hit.backend.service;
    return {
      via: `Ingress ${ingress.metadata.name} ${hit.path}`,
      upstream: {
        host: `${svc.name}.${out.spec.namespace}`,
        port: svc.port.number,
        path,
        query,
      },
      jwt: false,
    };
  }
  const stack = out.yaml(LOAD_BALANCERS)[0];
  if (!stack)
    return {
      refused:
        'API Gateway has no transparent WebSocket proxy and nothing beside it carries the upgrade',
    };
  const rules = Object.values<any>(stack.Resources).filter(
    r => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule',
  );
  const wildcard = (v: string) =>
    new RegExp(
      `^${v
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
  const rule = rules
    .sort((a, b) => a.Properties.Priority - b.Properties.Priority)
    .find(r =>
      r.Properties.Conditions.some(
        (c: any) =>
          c.Field === 'path-pattern' &&
          c.PathPatternConfig.Values.some((v: string) =>
            wildcard(v).test(path),
          ),
      ),
    );
  if (!rule)
    return {
      refused:
        'no ALB listener rule takes the upgrade (its default action answers 404)',
    };
  const group = stack.Resources[rule.Properties.Actions[0].TargetGroupArn.Ref];
  return {
    via: `ALB rule ${rule.Properties.Priority}`,
    upstream: {
      host: `internal.${out.spec.fqdn}`,
      port: group.Properties.Port,
      path,
      query,
    },
    jwt: false,
  };
}

/** Why the public host does not reach the API, or nothing. */
function customDomainMissing(out: RenderedOutput): string | undefined {
  const resources = Object.entries<any>(out.yaml(STACK)[0]?.Resources ?? {});
  const domain = resources.find(
    ([, r]) =>
      r.Type === 'AWS::ApiGateway::DomainName' &&
      r.Properties?.DomainName === out.spec.gateway.publicHost,
  );
  if (!domain)
    return `no custom domain name ${out.spec.gateway.publicHost}: the Web UI's origin reaches no API (only the execute-api URL does)`;
  const mapped = resources.some(
    ([, r]) =>
      r.Type === 'AWS::ApiGateway::BasePathMapping' &&
      r.Properties?.DomainName?.Ref === domain[0] &&
      !r.Properties?.BasePath,
  );
  return mapped
    ? undefined
    : `custom domain ${out.spec.gateway.publicHost} has no root base path mapping to the stage`;
}

export const awsApiGatewayTrafficModel: GatewayTrafficModel = {
  describe: out => (out.file(OPENAPI) ? OPENAPI : undefined),
  route(out, request): GatewayOutcome {
    if (request.websocket) return websocket(out, request);
    const noDomain = customDomainMissing(out);
    if (noDomain) return { refused: noDomain };
    const doc = out.yaml(OPENAPI)[0] as any;
    const [path, ...rest] = request.url.split('?');
    const matched = matchPath(doc.paths, path, awsDialect);
    if (!matched)
      return {
        refused:
          'matches no resource (API Gateway answers 403 Missing Authentication Token)',
      };
    const operation = matched.item[request.method.toLowerCase()];
    if (!operation)
      return {
        refused: `resource ${matched.template} has no ${request.method} method (403)`,
      };
    const integration = operation['x-amazon-apigateway-integration'];
    if (integration?.type !== 'http_proxy')
      return {
        refused: `${request.method} ${matched.template} is not an HTTP proxy integration`,
      };
    let uri: string = integration.uri;
    for (const [to, from] of Object.entries<string>(
      integration.requestParameters ?? {},
    )) {
      const name = /^integration\.request\.path\.(.+)$/.exec(to)?.[1];
      const source = /^method\.request\.path\.(.+)$/.exec(from)?.[1];
      if (name && source)
        uri = uri.replace(`{${name}}`, matched.params[source] ?? '');
    }
    const url = new URL(uri);
    if (isPrivateName(out, url.hostname)) {
      const why = viaVpcLink(out, integration);
      if (why)
        return {
          refused: `${request.method} ${matched.template} → ${url.host}: ${why}`,
        };
    }
    const schemes = doc.components?.securitySchemes ?? {};
    const jwt = (operation.security ?? []).some(
      (req: Record<string, unknown>) =>
        Object.keys(req).some(
          k => schemes[k]?.['x-amazon-apigateway-authorizer'],
        ),
    );
    return {
      via: `${request.method} ${matched.template}`,
      upstream: {
        host: url.hostname,
        port: Number(url.port || 80),
        path: url.pathname,
        query: rest.join('?'),
      },
      jwt,
    };
  },
};
