import {
  DeploymentSpec,
  GatewayRoute,
  TARGETS,
} from '@open-amt-backstage/plugin-open-amt-common';
import { gatewayRendererOf } from '../providers';

/**
 * The name in-cluster/compose gateways (Kong, Tyk) reach a service by: the compose service name, or
 * the Kubernetes Service DNS name.
 */
export function inClusterHost(spec: DeploymentSpec, service: string): string {
  return TARGETS[spec.target].platform === 'compose'
    ? service
    : `${service}.${spec.namespace}.svc.cluster.local`;
}

/**
 * Managed gateways (API Management, API Gateway) live outside the VM/cluster. On a VM they reach every service at
 * `internal.<fqdn>` (the VM, whose ports compose publishes); the operator points that private name at it.
 */
export function backendHost(spec: DeploymentSpec): string {
  return `internal.${spec.fqdn}`;
}

/**
 * On Kubernetes each service has its own internal load balancer, so its own private name
 * (`<service>.internal.<fqdn>`), which the Service carries for ExternalDNS.
 */
export function internalServiceHost(
  spec: DeploymentSpec,
  service: string,
): string {
  return `${service}.internal.${spec.fqdn}`;
}

/** Where the deployment's gateway reaches a service: beside the services by name, else through the internal names. */
export function gatewayUpstreamHost(
  spec: DeploymentSpec,
  service: string,
): string {
  if (gatewayRendererOf(spec).info.runsBesideServices)
    return inClusterHost(spec, service);
  return TARGETS[spec.target].platform === 'compose'
    ? backendHost(spec)
    : internalServiceHost(spec, service);
}

/** Upstream URL of a route (path rewritten where the route says so, else the service root). */
export function upstreamUrl(host: string, route: GatewayRoute): string {
  return `http://${host}:${route.upstream.port}${route.upstream.path ?? ''}`;
}

/** Template marker replaced at deploy time (resolve-secrets.sh / External Secrets template). */
export const JWT_SECRET_TEMPLATE = '{{ .jwtSecret }}';

/**
 * Where the load balancer carrying WebSockets for a gateway that cannot answers. One DNS name points at one endpoint,
 * and the gateway holds the public host, so rpc-go is given this one (`rpc activate -u wss://<host>/activate`).
 */
export function websocketHost(spec: DeploymentSpec): string {
  return `ws.${spec.gateway.publicHost}`;
}
