/**
 * Which user a container's process runs as, for the readability of what it mounts: Docker runs it as compose's
 * `user:` when set (numeric uid[:gid]), else as the image's USER; Kubernetes as the pod/container runAsUser, else the
 * image's USER. Image users are facts about the images, kept here apart from the renderer's own table:
 * - intel/device-mgmt-toolkit-mps, -rps: `node`, uid/gid 1000; mps-router: `scratchuser`, uid 1000 (group not
 *   recorded); web-ui: root (shared/reference/open-amt-traffic.md §3).
 * - kong: USER `kong` by name, non-root, uid depending on the base image's users (ibid. §3; Kong's chart pins 1000).
 * - tyk-gateway v5: distroless `nonroot`; ESPv2: `envoy`; vault: `vault` (non-root; uid not recorded here).
 * An MPS/RPS image built FROM the release's (the provider kit's, or an adopter's own) must keep the release's user (the
 * runbook's "Provider kit" / "Your own providers" sections), so it is looked up by service name.
 */
import { releaseOf } from '@open-amt-backstage/plugin-open-amt-common';
import type { RenderedOutput } from '../output';

export interface ContainerUser {
  /** Unknown for an image whose USER is a name resolved by its own /etc/passwd. */
  uid?: number;
  gid?: number;
}

const IMAGE_USERS: Array<[RegExp, ContainerUser]> = [
  [/^intel\/(oact|device-mgmt-toolkit)-(mps|rps):/, { uid: 1000, gid: 1000 }],
  [/^intel\/(oact|device-mgmt-toolkit)-mps-router:/, { uid: 1000 }],
  [/^intel\/(oact|device-mgmt-toolkit)-(web-ui|webui):/, { uid: 0, gid: 0 }],
  [/^(docker\.io\/)?(library\/)?kong(\/kong-gateway)?:/, {}],
  [/^(docker\.io\/)?tykio\/tyk-gateway:/, {}],
  [/^gcr\.io\/endpoints-release\/endpoints-runtime/, {}],
  [/^(docker\.io\/)?hashicorp\/vault:/, {}],
];

/** `user:` of compose / runAsUser of Kubernetes win; then the image; then the release's user for a toolkit service. */
export function containerUser(
  out: RenderedOutput,
  service: string,
  image: string | undefined,
  pinned?: { uid?: number; gid?: number },
): ContainerUser | undefined {
  if (pinned?.uid !== undefined) return pinned;
  const known = IMAGE_USERS.find(([re]) => re.test(image ?? ''))?.[1];
  if (known) return known;
  const components = releaseOf(out.spec).components as Record<
    string,
    { user: { uid: number } } | undefined
  >;
  const release = components[service];
  return release ? { uid: release.user.uid, gid: release.user.uid } : undefined;
}

/** compose `user: "uid[:gid]"` (a name is resolved inside the image: unknown here). */
export function composeUserPin(
  user: unknown,
): { uid?: number; gid?: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(String(user ?? ''));
  return m
    ? { uid: Number(m[1]), gid: m[2] === undefined ? undefined : Number(m[2]) }
    : undefined;
}

/** Whether a process of `user` (with `groups`) may read (and, for a directory, enter) a path of this owner and mode. */
export function mayRead(
  user: ContainerUser,
  groups: number[],
  path: { uid: number; gid: number; mode: number; type: string },
): boolean {
  // Root reads anything: Docker and the kubelet keep CAP_DAC_OVERRIDE for root unless dropped.
  if (user.uid === 0) return true;
  const need = path.type === 'd' ? 5 : 4;
  // Linux takes the owner's bits if the uid owns it, else the group's if one of its groups does, else the others'.
  let shift = 0;
  if (user.uid !== undefined && path.uid === user.uid) shift = 6;
  else if (groups.includes(path.gid)) shift = 3;
  return ((path.mode >> shift) & need) === need;
}
