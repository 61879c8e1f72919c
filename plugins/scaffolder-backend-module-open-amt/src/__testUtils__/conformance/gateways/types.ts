import type { RenderedOutput } from '../output';
import type { ClientRequest } from '../traffic';

/** Where a gateway sends one client request, and whether it checks the JWT on the way. */
export interface GatewayDecision {
  /** The route, API or operation that matched, for messages. */
  via: string;
  upstream: { host: string; port: number; path: string; query: string };
  jwt: boolean;
}

/** What the gateway does with the request: forwards it, or answers it itself (404, failed upgrade, …) and why. */
export type GatewayOutcome = GatewayDecision | { refused: string };

/**
 * A model of one gateway's documented request handling over the configuration files the renderer wrote for it.
 * Generic code iterates over the models; each recognises its own files.
 */
export interface GatewayTrafficModel {
  /** The vendor source (repository, tag, file:line) or documented reference it follows, for the rule's `source`. */
  source?: string;
  /** The configuration file(s) it reads, for messages. */
  describe(out: RenderedOutput): string | undefined;
  route(out: RenderedOutput, request: ClientRequest): GatewayOutcome;
  /** Where a raw TCP connection to the gateway's public `port` goes (L4 passthrough, e.g. CIRA 4433), when modelled. */
  tcp?(out: RenderedOutput, port: number): GatewayOutcome;
}
