/**
 * The passthrough Network Load Balancer script beside ESPv2 on a VM (gcloud compute forwarding-rules create
 * --ports; a passthrough load balancer delivers the packets to the backend VM on the same destination port: Google
 * Cloud "External passthrough Network Load Balancer overview"; docs only, not verified).
 */
import type { RenderedOutput } from '../output';
import type { ServedEndpoint } from './types';

const SCRIPT = 'gateway/google-cloud-endpoints/passthrough-nlb.sh';

export function googleCloudEndpointsEndpoints(
  out: RenderedOutput,
): ServedEndpoint[] {
  const script = out.file(SCRIPT);
  if (!script) return [];
  return [
    ...script.matchAll(
      /forwarding-rules create .*--ip-protocol TCP --ports (\d+)/g,
    ),
  ].map(([, port]) => ({
    where: `${SCRIPT} forwarding rule ${port}`,
    port: Number(port),
    kind: 'cira' as const,
    vmPort: Number(port),
  }));
}
