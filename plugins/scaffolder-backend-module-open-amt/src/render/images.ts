import {
  DeploymentSpec,
  releaseOf,
} from '@open-amt-backstage/plugin-open-amt-common';

/**
 * Third-party images the rendered deployment runs next to Open AMT, pinned (never `latest`). Kong, which the
 * toolkit itself ships, is release data (`infrastructure.kong`).
 */
export const GATEWAY_IMAGES = {
  tyk: 'tykio/tyk-gateway:v5.8.1',
  redis: 'redis:7.4.2-alpine',
  espv2: 'gcr.io/endpoints-release/endpoints-runtime:2.51.0',
} as const;

/**
 * The users these images run as, and the uid the pods pin: the kubelet can verify runAsNonRoot only for a numeric
 * user, so a named or root USER needs runAsUser. kong: USER kong, run as 1000 by Kong's own chart (uid of the kong
 * user); tyk-gateway v5.8.1: distroless base-debian12 with no USER (TykTechnologies/tyk ci/Dockerfile.distroless), so
 * root: pinned to distroless's `nonroot` (65532), which only has to read /opt/tyk-gateway (its PID file write fails with
 * a warning only, gateway/server.go:1357-1359; the registry row says this is not verified); redis alpine: starts as root and drops to its `redis`
 * user (999), which it skips when already unprivileged; ESPv2: USER envoy (101).
 */
export const IMAGE_USERS = {
  kong: { name: 'kong', uid: 1000 },
  tyk: { name: 'nonroot', uid: 65532 },
  redis: { name: 'redis', uid: 999 },
  espv2: { name: 'envoy', uid: 101 },
} as const;

/**
 * The user a container of `image` runs as, as the Kubernetes manifests pin it: the release's user for its images,
 * IMAGE_USERS for the gateway images; a custom MPS/RPS image keeps the release's user of its service (runbook,
 * "Custom providers"). Undefined when unknown.
 */
export function imageUser(
  spec: DeploymentSpec,
  service: string,
  image: unknown,
): { name: string; uid: number } | undefined {
  const release = releaseOf(spec);
  const component = Object.values(release.components).find(
    c => c.image === image,
  );
  if (component) return component.user;
  if (image === release.infrastructure.kong) return IMAGE_USERS.kong;
  const gateway = (
    Object.keys(GATEWAY_IMAGES) as Array<keyof typeof GATEWAY_IMAGES>
  ).find(k => GATEWAY_IMAGES[k] === image);
  if (gateway) return IMAGE_USERS[gateway];
  return (
    release.components as Record<
      string,
      { user: { name: string; uid: number } }
    >
  )[service]?.user;
}
