import type { RenderedOutput } from '../../output';

/** One port a gateway container listens on, as its configuration makes it listen. */
export interface Listener {
  port: number;
  /** HTTP(S) proxy: the certificate and key files it serves TLS with; `plain` when it speaks plain HTTP. */
  http?: { tls: string[] } | 'plain';
  /** Raw TCP passthrough to this upstream (name and port as the gateway dials them). */
  streamsTo?: { host: string; port: number };
}

/** The container as the gateway reads it: its environment and its arguments. */
export interface GatewayContainer {
  image: string;
  env: Record<string, string | undefined>;
  args: string[];
}

/**
 * How one gateway product listens, from its vendor's configuration reference or source: which image runs it, and the
 * listeners a container's settings (and the rendered configuration files) give it. Generic code iterates over these.
 */
export interface GatewayListenerModel {
  product: string;
  runs(image: string): boolean;
  listeners(out: RenderedOutput, container: GatewayContainer): Listener[];
}
