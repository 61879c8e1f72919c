import { httpUrl, awsRegion } from '../spec/fields';
import { gatewaySpecSection } from '../spec/sections';
import { z } from 'zod';
import { ProviderInfo, ProviderSpecSchema } from './types';

export const GATEWAY_PROVIDER_IDS = [
  'kong',
  'azure-apim',
  'aws-api-gateway',
  'google-cloud-endpoints',
  'tyk',
] as const;
export type GatewayProviderId = (typeof GATEWAY_PROVIDER_IDS)[number];

/**
 * What clients do through the gateway (shared/reference/open-amt-traffic.md §1): the Web UI's login, its MPS device
 * API and RPS provisioning API calls, its remote console (the relay WebSocket), rpc-go's activation, the SPA itself.
 */
export const CLIENT_FLOWS = [
  'login',
  'device-api',
  'provisioning-api',
  'remote-console',
  'activation',
  'web-ui',
] as const;
export type ClientFlow = (typeof CLIENT_FLOWS)[number];

/**
 * A gateway's registry entry. Built-ins have their ids in GatewayProviderId; a gateway an adopter adds through the
 * extension points is a `GatewayProviderInfo<string>`.
 */
export interface GatewayProviderInfo<Id extends string = GatewayProviderId>
  extends ProviderInfo<Id> {
  /** Its section of the deployment spec (`gateway`), from gatewaySpecSection. */
  spec: ProviderSpecSchema;
  /** The client flows this gateway cannot carry as generated (a vendor limitation its `limitation` explains). */
  doesNotCarry?: readonly ClientFlow[];
  /** Whether the gateway can proxy the websocket routes (/activate, /mps/ws/relay, …) transparently. */
  carriesWebsockets: boolean;
  /**
   * Runs next to the services (a container of the deployment: Kong, Tyk, ESPv2) and reaches them by their compose /
   * cluster DNS names; otherwise a managed service outside that reaches them through internal load balancers.
   */
  runsBesideServices: boolean;
  /** Terminates TLS for the public host itself, with the certificate the operator keeps in the secrets store. */
  servesPublicTls: boolean;
  /** Whether the gateway can pass raw TLS on TCP 4433 (CIRA) through untouched. */
  carriesCiraTcp: boolean;
  /** The load-balancer pieces generated for what the gateway cannot carry. */
  extraLoadBalancers: string[];
  /**
   * Whether it reuses upstream connections, which mps-router (one MPS choice per TCP connection) cannot survive:
   * `turned-off`: it pools and the rendered configuration turns that off; `no-switch`: it pools (or its vendor
   * documents no way to stop it), so MPS runs alone behind it. Unset: not modelled.
   */
  upstreamPooling?: 'turned-off' | 'no-switch';
}

const kongSpec = gatewaySpecSection('kong', () => ({
  adminUrl: httpUrl.optional(),
}));
const azureApimSpec = gatewaySpecSection('azure-apim', () => ({
  serviceName: z
    .string()
    .regex(
      /^[a-zA-Z][a-zA-Z0-9-]{0,49}$/,
      'must be an API Management service name',
    ),
  location: z.string().min(1).default('westeurope'),
}));
const awsApiGatewaySpec = gatewaySpecSection('aws-api-gateway', () => ({
  region: awsRegion,
  stageName: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,128}$/)
    .default('prod'),
  /** The stage's invoke URL, once the API exists; the health probe uses it. */
  invokeUrl: httpUrl.optional(),
}));
const googleCloudEndpointsSpec = gatewaySpecSection(
  'google-cloud-endpoints',
  () => ({
    projectId: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        'must be a Google Cloud project id',
      ),
  }),
);
const tykSpec = gatewaySpecSection('tyk', () => ({
  gatewayUrl: httpUrl.optional(),
}));

/** The built-in gateways' spec sections, for the deployment spec's static type. */
export const BUILT_IN_GATEWAY_SPECS = [
  kongSpec,
  azureApimSpec,
  awsApiGatewaySpec,
  googleCloudEndpointsSpec,
  tykSpec,
] as const;

export const GATEWAY_PROVIDERS: Record<GatewayProviderId, GatewayProviderInfo> =
  {
    kong: {
      spec: kongSpec,
      id: 'kong',
      kind: 'gateway',
      label: 'Kong (DB-less, declarative 3.0)',
      supportLevel: 'native',
      carriesWebsockets: true,
      servesPublicTls: true,
      runsBesideServices: true,
      carriesCiraTcp: true,
      upstreamPooling: 'turned-off',
      extraLoadBalancers: [],
      implication:
        'The toolkit reference gateway: JWT plugin with the MPS issuer as credential key, TCP stream for 4433.',
      docsUrl: 'https://docs.konghq.com/gateway/latest/',
    },
    'azure-apim': {
      spec: azureApimSpec,
      id: 'azure-apim',
      kind: 'gateway',
      label: 'Azure API Management',
      supportLevel: 'native',
      carriesWebsockets: true,
      servesPublicTls: false,
      runsBesideServices: false,
      carriesCiraTcp: false,
      // API Management documents no setting that stops it reusing backend connections (not verified).
      upstreamPooling: 'no-switch',
      extraLoadBalancers: [
        'Azure Load Balancer (L4) forwarding TCP 4433 to MPS',
      ],
      implication:
        'validate-jwt policy guards /mps and /rps; it reaches the services through virtual network integration; API Management has no TCP proxy, so CIRA goes through an Azure L4 load balancer.',
      notVerified:
        "Modelled from Microsoft's documentation only, not run here: API selection by URL suffix and operations by URL template, WebSocket passthrough (the onHandshake operation), validate-jwt with the base64 HS256 key, outbound virtual network integration, the custom domain for the public host, and reuse of backend connections (assumed, so MPS runs alone behind it).",
      docsUrl: 'https://learn.microsoft.com/azure/api-management/',
      consoleUrl:
        'https://portal.azure.com/#browse/Microsoft.ApiManagement%2Fservice',
    },
    'aws-api-gateway': {
      spec: awsApiGatewaySpec,
      id: 'aws-api-gateway',
      kind: 'gateway',
      label: 'Amazon API Gateway',
      supportLevel: 'native',
      carriesWebsockets: false,
      servesPublicTls: false,
      runsBesideServices: false,
      carriesCiraTcp: false,
      // API Gateway documents no integration or VPC link setting that stops it reusing connections (not verified).
      upstreamPooling: 'no-switch',
      extraLoadBalancers: [
        'Application Load Balancer for the websocket routes (/activate, /deactivate, /maintenance) on its own host, ws.<public host>',
        'Network Load Balancer passing TCP 4433 through to MPS',
        'Internal Network Load Balancers behind VPC links, through which API Gateway reaches the services privately',
      ],
      implication:
        'HS256 needs a Lambda authorizer; the public host is a custom domain mapped to the stage; private integrations through VPC links; its WebSocket APIs are not transparent proxies, so an ALB carries websockets and an NLB carries CIRA.',
      doesNotCarry: ['remote-console'],
      limitation:
        "Not production-ready: the remote console (KVM, SOL, IDER) does not work: API Gateway has no transparent WebSocket proxy, and the ALB that carries WebSockets cannot rewrite /mps/ws/relay/… to the /relay/… path MPS serves, nor share the Web UI's host with API Gateway. REST, activation (rpc-go at wss://ws.<public host>/activate) and CIRA work.",
      notVerified:
        "Modelled from AWS documentation only, not run here: {proxy+} matching one or more segments and never its parent, http_proxy path substitution, private integrations through VPC links, the REST API custom domain, the AWS Load Balancer Controller's ACM certificate discovery for the websocket Ingress, and reuse of backend connections (assumed, so MPS runs alone behind it).",
      docsUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/',
      consoleUrl: 'https://console.aws.amazon.com/apigateway/home',
    },
    'google-cloud-endpoints': {
      spec: googleCloudEndpointsSpec,
      id: 'google-cloud-endpoints',
      kind: 'gateway',
      label: 'Google Cloud Endpoints (ESPv2)',
      doesNotCarry: ['device-api', 'provisioning-api'],
      limitation:
        "Not production-ready: the Web UI's calls to /mps/api and /rps/api do not work. ESPv2 verifies only JWTs whose keys a JWKS publishes (RS256/ES256), while MPS signs its tokens with HS256 and a shared secret, so they are refused at the gateway (turning verification off would leave MPS and RPS, which check no token themselves, open); and ESPv2 cannot strip the /mps and /rps prefixes the services do not serve. Login, the remote console, activation and CIRA work. Outside Google Cloud (AKS, EKS, a VM not on Compute Engine) ESPv2 needs a service account key (--service_account_key) to fetch its service configuration, which this deployment does not wire: without the metadata server of GKE or Compute Engine it serves nothing.",
      supportLevel: 'native',
      carriesWebsockets: true,
      // ESPv2 terminates TLS itself (--ssl_server_cert_path) with the certificate the operator keeps in the store.
      servesPublicTls: true,
      runsBesideServices: true,
      carriesCiraTcp: false,
      // ESPv2 (Envoy) pools upstream connections and has no flag for it (esp-v2 v2.51.0 flags.go).
      upstreamPooling: 'no-switch',
      extraLoadBalancers: [
        'Passthrough Network Load Balancer forwarding TCP 4433 to MPS',
      ],
      implication:
        'Swagger 2.0 with x-google-backend; ESPv2 does not strip prefixes and has no TCP proxy, so CIRA goes through a passthrough NLB.',
      notVerified:
        "Routing, path translation, the TLS listener and connection reuse follow ESPv2 v2.51.0's source and its own tests, but ESPv2 is not run here; the passthrough Network Load Balancer for CIRA follows Google Cloud's documentation only.",
      docsUrl: 'https://cloud.google.com/endpoints/docs/openapi',
      consoleUrl: 'https://console.cloud.google.com/endpoints',
    },
    tyk: {
      spec: tykSpec,
      id: 'tyk',
      kind: 'gateway',
      label: 'Tyk Gateway',
      supportLevel: 'native',
      carriesWebsockets: true,
      servesPublicTls: true,
      runsBesideServices: true,
      carriesCiraTcp: true,
      // proxy_close_connections (TYK_GW_PROXYCLOSECONNECTIONS) turns keep-alive off (tyk v5.8.1 reverse_proxy.go:741).
      upstreamPooling: 'turned-off',
      extraLoadBalancers: [],
      implication:
        'JWT (HMAC) with identity field iss and a default policy; a TCP API passes 4433 through; the control API and /hello on their own port.',
      notVerified:
        'Tyk Gateway v5.8.1 is modelled from its source (routing, JWT and policies, port whitelist, upstream keep-alive) and checked against its own test cases, but the generated configuration has not been run against a Tyk binary; nor that the image (which sets no USER) runs as uid 65532, nor that the kubelet readiness probe and the portal health probe reach the control port (9696) through the NetworkPolicy (CNI-dependent).',
      docsUrl: 'https://tyk.io/docs/',
    },
  };
