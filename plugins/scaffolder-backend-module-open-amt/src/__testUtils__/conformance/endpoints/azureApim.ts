/**
 * What the API Management Bicep answers publicly (docs only, not verified): the service answers its own
 * `<name>.azure-api.net`; the public host only through a custom domain (`hostnameConfigurations`, or the portal's
 * custom-domain setting the runbook sends the operator to) with a certificate for it. An Azure Load Balancer rule
 * passes TCP from its frontend port to the backend port of the pool's VM.
 */
import type { RenderedOutput } from '../output';
import { runbookStepNames } from './runbookSteps';
import type { ServedEndpoint } from './types';

const BICEP = 'gateway/azure-apim/apim.bicep';

export function azureApimEndpoints(out: RenderedOutput): ServedEndpoint[] {
  const bicep = out.file(BICEP);
  if (!bicep) return [];
  const host = out.spec.gateway.publicHost;
  const served: ServedEndpoint[] = [
    {
      where: `${BICEP} apim`,
      host,
      port: 443,
      kind: 'https',
      problem:
        (/hostnameConfigurations/.test(bicep) && bicep.includes(host)) ||
        runbookStepNames(out, 'certificate', `\`${host}\``)
          ? undefined
          : `API Management answers ${host} only with a custom domain and its certificate, which neither the Bicep nor a runbook step provides`,
    },
  ];
  for (const [, front, back] of bicep.matchAll(
    /protocol: 'Tcp', frontendPort: (\d+), backendPort: (\d+)/g,
  ))
    served.push({
      where: `${BICEP} load balancing rule ${front}→${back}`,
      port: Number(front),
      kind: 'cira',
      vmPort: Number(back),
    });
  return served;
}
