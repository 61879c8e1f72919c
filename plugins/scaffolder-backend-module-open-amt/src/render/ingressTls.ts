import type { DeploymentSpec } from '@open-amt-backstage/plugin-open-amt-common';

/** ingress-nginx (and the AKS application routing add-on, which runs it) serves the Secret the Ingress's tls names. */
export function secretTlsStep(
  spec: DeploymentSpec,
  host: string,
  secretName: string,
): string {
  return `Create the TLS Secret \`${secretName}\` for \`${host}\` that the Ingress \`open-amt-websockets\` serves: \`kubectl -n ${spec.namespace} create secret tls ${secretName} --cert=<certificate chain PEM for ${host}> --key=<its key PEM>\` (renew it before it expires); without it the ingress controller serves its own default certificate, which rpc-go refuses.`;
}
