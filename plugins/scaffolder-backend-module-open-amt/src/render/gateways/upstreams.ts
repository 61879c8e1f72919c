import { DeploymentSpec, GatewayRoute, TARGETS } from '@open-amt-backstage/plugin-open-amt-common';

/**
 * The name in-cluster/compose gateways (Kong, Tyk) reach a service by: the compose service name, or
 * the Kubernetes Service DNS name.
 */
export function inClusterHost(spec: DeploymentSpec, service: string): string {
  return TARGETS[spec.target].platform === 'compose' ? service : `${service}.${spec.namespace}.svc.cluster.local`;
}

/**
 * Managed gateways (API Management, API Gateway, Cloud Endpoints) live outside the VM/cluster: they reach
 * the services through `internal.<fqdn>`, a private DNS name the operator points at the VM or at the
 * internal load balancer the Kubernetes manifests create (runbook step).
 */
export function backendHost(spec: DeploymentSpec): string {
  return `internal.${spec.fqdn}`;
}

/** Upstream URL of a route (path rewritten where the route says so, else the service root). */
export function upstreamUrl(host: string, route: GatewayRoute): string {
  return `http://${host}:${route.upstream.port}${route.upstream.path ?? ''}`;
}

/** Template marker replaced at deploy time (resolve-secrets.sh / External Secrets template). */
export const JWT_SECRET_TEMPLATE = '{{ .jwtSecret }}';
