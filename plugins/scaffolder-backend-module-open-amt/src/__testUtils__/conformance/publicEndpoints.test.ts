/**
 * endpoints.served: each defect it guards, injected into a rendered output, makes it fail; and the listener models
 * read the settings their vendors document.
 */
import { inject, rendered, renderedGateway } from './fixtures';
import { espv2Listeners } from './gateways/listeners/espv2';
import { kongListeners } from './gateways/listeners/kong';
import { publicEndpointsRule } from './rules/publicEndpoints';

const combo = (gateway: string, target: string) =>
  renderedGateway(gateway as never, target as never);
const check = (out: ReturnType<typeof rendered>) =>
  publicEndpointsRule.check(out).join('\n');

describe('gateway listener models', () => {
  it('ESPv2: --listener_port (default 8080) is plain HTTP unless --ssl_server_cert_path names the directory of server.crt and server.key', () => {
    const out = combo('google-cloud-endpoints', 'compose');
    const listen = (args: string[]) =>
      espv2Listeners.listeners(out, { image: 'x', env: {}, args });
    expect(listen([])).toEqual([{ port: 8080, http: 'plain' }]);
    expect(listen(['--listener_port=8443'])).toEqual([
      { port: 8443, http: 'plain' },
    ]);
    expect(
      listen(['--listener_port', '9000', '--ssl_server_cert_path=/etc/esp/']),
    ).toEqual([
      {
        port: 9000,
        http: { tls: ['/etc/esp/server.crt', '/etc/esp/server.key'] },
      },
    ]);
  });

  it('Kong: proxy_listen entries with the ssl flag are TLS with ssl_cert/ssl_cert_key; stream_listen passes to the tcp route of that port', () => {
    const out = combo('kong', 'compose');
    const listeners = kongListeners.listeners(out, {
      image: 'kong:3',
      env: {
        KONG_PROXY_LISTEN: '0.0.0.0:8000, 0.0.0.0:8443 ssl http2',
        KONG_SSL_CERT: '/c',
        KONG_SSL_CERT_KEY: '/k',
        KONG_STREAM_LISTEN: '0.0.0.0:4433',
      },
      args: [],
    });
    expect(listeners).toEqual([
      { port: 8000, http: 'plain' },
      { port: 8443, http: { tls: ['/c', '/k'] } },
      { port: 4433, streamsTo: { host: 'mps', port: 4433 } },
    ]);
  });
});

describe(`${publicEndpointsRule.id}: every promised public endpoint is served`, () => {
  it('ESPv2 on a VM: plain HTTP behind 443, and 4433 not published for the passthrough load balancer', () => {
    const esp = combo('google-cloud-endpoints', 'compose');
    expect(check(esp)).toBe('');
    const plain = inject(
      esp,
      'docker-compose.yml',
      /\n\s+- "?--ssl_server_cert_path=[^\n]+/,
      '',
    );
    expect(check(plain)).toMatch(
      /HTTPS for the Web UI and REST at [\w.-]+:443: docker-compose.yml services.espv2 ports 443:8443: ESPv2 speaks plain HTTP on 8443/,
    );
    const unpublished = inject(
      esp,
      'docker-compose.yml',
      /\n\s+ports:\n\s+- "?4433:4433"?/,
      '',
    );
    expect(check(unpublished)).toMatch(
      /raw TLS to MPS for devices \(CIRA\) at [\w.-]+:4433: gateway\/google-cloud-endpoints\/passthrough-nlb.sh forwarding rule 4433: it forwards to port 4433 of the VM, where compose publishes no MPS's CIRA port/,
    );
  });

  it('ESPv2 on Kubernetes: the certificate Secret mapped under names ESPv2 does not read', () => {
    const esp = combo('google-cloud-endpoints', 'kubernetes');
    expect(check(esp)).toBe('');
    const unmapped = inject(
      esp,
      'kubernetes/gateway.yaml',
      'path: server.key',
      'path: tls.key',
    );
    expect(check(unmapped)).toMatch(
      /Service espv2 port 443: \/etc\/open-amt\/gateway-tls\/server.key: Secret volume gateway-tls maps no key to server.key/,
    );
  });

  it('a certificate file the resolve script never writes', () => {
    const esp = combo('google-cloud-endpoints', 'compose');
    const unwritten = inject(
      esp,
      'docker-compose.yml',
      './secrets/gateway-tls/tls.key:',
      './secrets/esp/server.key:',
    );
    expect(check(unwritten)).toMatch(
      /is mounted from secrets\/esp\/server.key, which scripts\/resolve-secrets.sh never writes/,
    );
  });

  it('Kong without the ssl flag on its proxy port', () => {
    const kong = combo('kong', 'kubernetes');
    expect(check(kong)).toBe('');
    const plain = inject(
      kong,
      'kubernetes/gateway.yaml',
      '0.0.0.0:8443 ssl',
      '0.0.0.0:8443',
    );
    expect(check(plain)).toMatch(
      /Service kong port 443: Kong speaks plain HTTP on 8443/,
    );
  });

  it("API Gateway's websocket Ingress: no ACM certificate on EKS, no TLS Secret elsewhere", () => {
    const eks = combo('aws-api-gateway', 'eks');
    expect(check(eks)).toBe('');
    const noAcm = inject(
      eks,
      'README.md',
      /Request \(or import\) an ACM certificate[^\n]*/,
      '',
    );
    expect(check(noAcm)).toMatch(
      /WSS for rpc-go \(\/activate\) and the relay at ws\.[\w.-]+:443: Ingress open-amt-websockets: the ALB needs an ACM certificate/,
    );
    const k8s = combo('aws-api-gateway', 'kubernetes');
    expect(check(k8s)).toBe('');
    const noSecret = inject(
      k8s,
      'README.md',
      /Create the TLS Secret `open-amt-tls`[^\n]*/,
      '',
    );
    expect(check(noSecret)).toMatch(
      /Ingress open-amt-websockets: its TLS Secret open-amt-tls for ws\.[\w.-]+ is created by nothing/,
    );
  });

  it("API Gateway on a VM: the stacks' certificate parameters with no runbook step naming their host", () => {
    const aws = combo('aws-api-gateway', 'compose');
    expect(check(aws)).toBe('');
    const noWsCert = inject(
      aws,
      'README.md',
      /CertificateArn of an ACM certificate for `ws\.[\w.-]+`/,
      'CertificateArn',
    );
    expect(check(noWsCert)).toMatch(
      /WSS for rpc-go \(\/activate\) and the relay at ws\.[\w.-]+:443: gateway\/aws-api-gateway\/load-balancers.cfn.yaml WsListener: load-balancers.cfn.yaml: no runbook step gives CertificateArn a certificate for ws\./,
    );
    // The NLB forwards to the VM's 4433: without compose publishing MPS's CIRA port there, devices reach nothing.
    const unpublished = inject(
      aws,
      'docker-compose.yml',
      /\n(\s+)- "?4433:4433"?/,
      '',
    );
    expect(check(unpublished)).toMatch(
      /raw TLS to MPS for devices \(CIRA\) at [\w.-]+:4433: gateway\/aws-api-gateway\/load-balancers.cfn.yaml CiraListener: it forwards to port 4433 of the VM, where compose publishes no MPS's CIRA port/,
    );
  });

  it('a promised name without a DNS step', () => {
    const kong = combo('kong', 'compose');
    const noDns = inject(
      kong,
      'README.md',
      /Create DNS records: `[\w.-]+` → CIRA/,
      'Create records: x → CIRA',
    );
    expect(check(noDns)).toMatch(
      /raw TLS to MPS for devices \(CIRA\) at [\w.-]+:4433: no runbook step creates the DNS record of [\w.-]+/,
    );
  });

  it('API Management: no custom domain certificate for the public host', () => {
    const apim = combo('azure-apim', 'aks');
    expect(check(apim)).toBe('');
    const noDomain = inject(
      apim,
      'README.md',
      /Give Azure API Management a TLS certificate[^\n]*/,
      '',
    );
    expect(check(noDomain)).toMatch(
      /HTTPS for the Web UI and REST at [\w.-]+:443: gateway\/azure-apim\/apim.bicep apim: API Management answers [\w.-]+ only with a custom domain/,
    );
  });
});
