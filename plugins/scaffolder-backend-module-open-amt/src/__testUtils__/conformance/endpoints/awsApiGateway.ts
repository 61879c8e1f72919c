/**
 * What the API Gateway stacks answer publicly (CloudFormation reference, AWS::ApiGateway::DomainName and
 * AWS::ElasticLoadBalancingV2::Listener; docs only, not verified): a custom domain answers its DomainName on 443 with
 * its ACM certificate; an HTTPS listener answers on its port with its certificate; a TCP listener of a Network Load
 * Balancer passes the connection to its target group's port on the instance. A certificate given as a stack parameter
 * is served only if the runbook step deploying that stack says which certificate (the host) to pass.
 */
import type { RenderedOutput } from '../output';
import { runbookStepNames } from './runbookSteps';
import type { ServedEndpoint } from './types';

const DIR = 'gateway/aws-api-gateway/';

function certificateProblem(
  out: RenderedOutput,
  file: string,
  arn: any,
  host: string | undefined,
): string | undefined {
  const param = arn?.Ref;
  if (!param) return arn ? undefined : `${file}: no certificate`;
  if (!host)
    return `${file}: nothing says which host the certificate ${param} is for`;
  return runbookStepNames(out, file, param, `\`${host}\``)
    ? undefined
    : `${file}: no runbook step gives ${param} a certificate for ${host}`;
}

export function awsApiGatewayEndpoints(out: RenderedOutput): ServedEndpoint[] {
  const served: ServedEndpoint[] = [];
  for (const f of out.files.filter(x => x.path.startsWith(DIR))) {
    if (!f.path.endsWith('.cfn.yaml')) continue;
    const name = f.path.slice(DIR.length);
    const stack = out.yaml(f.path)[0] ?? {};
    const resources: Record<string, any> = stack.Resources ?? {};
    // The name each load balancer answers: the output whose value is its DNS name says which record points there.
    const hostOf = (lb: string) =>
      Object.values<any>(stack.Outputs ?? {})
        .filter(o => o.Value?.['Fn::GetAtt']?.[0] === lb)
        .map(o => /DNS record of (\S+) points/.exec(o.Description ?? '')?.[1])
        .find(Boolean);
    for (const [id, r] of Object.entries(resources)) {
      const where = `${f.path} ${id}`;
      if (r.Type === 'AWS::ApiGateway::DomainName') {
        const host = r.Properties?.DomainName;
        served.push({
          where,
          host,
          port: 443,
          kind: 'https',
          problem: certificateProblem(
            out,
            name,
            r.Properties?.RegionalCertificateArn ??
              r.Properties?.CertificateArn,
            host,
          ),
        });
      }
      if (r.Type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
      const lb = r.Properties?.LoadBalancerArn?.Ref;
      const port = Number(r.Properties?.Port);
      if (r.Properties?.Protocol === 'HTTPS') {
        const host = hostOf(lb);
        served.push({
          where,
          host,
          port,
          kind: 'https',
          problem: certificateProblem(
            out,
            name,
            r.Properties?.Certificates?.[0]?.CertificateArn,
            host,
          ),
        });
      } else if (r.Properties?.Protocol === 'TCP') {
        const group =
          resources[r.Properties?.DefaultActions?.[0]?.TargetGroupArn?.Ref];
        if (resources[lb]?.Properties?.Scheme !== 'internet-facing') continue;
        served.push({
          where,
          port,
          kind: 'cira',
          vmPort: Number(group?.Properties?.Port),
        });
      }
    }
  }
  return served;
}
