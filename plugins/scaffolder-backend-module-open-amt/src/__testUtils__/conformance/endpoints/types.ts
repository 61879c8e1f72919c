/**
 * What answers on a public port: `https` (HTTP over TLS, WebSocket upgrades included) or `cira` (raw TCP reaching
 * MPS's own TLS port untouched).
 */
export type EndpointKind = 'https' | 'cira';

export interface ServedEndpoint {
  /** The file and object, for messages. */
  where: string;
  /**
   * The DNS name it holds (a managed gateway's custom domain, an Ingress host); undefined for the VM or a cluster load
   * balancer, which answer whatever name the operator points at them.
   */
  host?: string;
  port: number;
  kind: EndpointKind;
  /** Why it does not really serve (plain HTTP, a certificate nothing provisions, nothing listening…); none when it does. */
  problem?: string;
  /** A cloud load balancer that forwards to this port of the VM: served only if the VM serves it. */
  vmPort?: number;
}
