import type { RenderedOutput } from '../../output';

/**
 * Whether one gateway product reuses upstream connections for later requests (of other clients), and how that is
 * turned off, from its vendor's reference or source. mps-router picks the MPS instance once per TCP connection
 * (mps-router v2.5.13 internal/proxy/proxy.go:115-134, sync.Once on the first read), so a reused connection carries
 * other devices' calls to the MPS chosen for the first one.
 */
export interface UpstreamPoolingModel {
  product: string;
  /** The gateway's configuration this model reads, when the output has it (for messages). */
  describe(out: RenderedOutput): string | undefined;
  /**
   * Where the rendered configuration leaves pooling on although the product can turn it off (one sentence each), or,
   * when the product offers no switch, why not.
   */
  pooling(out: RenderedOutput): string[] | { noSwitch: string };
}
