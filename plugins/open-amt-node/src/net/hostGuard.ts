import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Minimatch } from 'minimatch';
import type { HostGuard } from '../types';

/** One resolved address a probe may connect to. */
export interface AllowedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type ResolveAll = (host: string) => Promise<AllowedAddress[]>;

export interface HostGuardOptions {
  /** Host globs (`*.example.com`, `localhost`) and CIDRs (`10.0.0.0/8`); see openAmt.health.allowedHosts. */
  allowedHosts: string[];
  resolve?: ResolveAll;
  /**
   * How long a host's checked addresses are reused (default 30 s, the usual DNS TTL in Kubernetes; 0 = look
   * up every time). Safe against DNS rebinding: probes connect to the addresses that were checked, never
   * to a later answer. Refusals and lookup failures are not remembered.
   */
  cacheTtlMs?: number;
}

/** A guard that also hands back the addresses it checked, so callers connect to exactly those (no DNS rebinding). */
export interface ResolvingHostGuard extends HostGuard {
  resolveAllowed(host: string): Promise<AllowedAddress[]>;
  /** The checked addresses when the guard already holds them (IP literals, hosts checked recently), else undefined. */
  cachedAllowed?(host: string): AllowedAddress[] | undefined;
}

/** Which rule refused a host: the one fact a refusal's sentence is built from. */
export type HostRefusal =
  /** The host (a name in no glob, or an IP literal) is not in the allow-list. */
  | { rule: 'not_listed' }
  /** A name outside every glob resolved to an address outside every CIDR. */
  | { rule: 'address_outside'; address: string }
  /** A link-local / metadata / unspecified address, refused whatever the configuration says. */
  | { rule: 'always_refused'; address: string; why: string }
  /** A cloud instance-metadata service name. */
  | { rule: 'metadata_name' }
  | { rule: 'empty_host' };

const ALLOWED_HOSTS_KEY = 'openAmt.health.allowedHosts';

/**
 * The one sentence (without its final period) that says why a host was refused and what to do: it names the
 * host once and the configuration key at most once. Every refusal message (HTTP, TCP, TLS and database probes)
 * is built here.
 */
export function describeRefusal(host: string, refusal: HostRefusal): string {
  switch (refusal.rule) {
    case 'not_listed':
      return `${host} is not allowed: add ${
        isIP(host) ? 'it' : 'the name'
      }, or a CIDR covering ${
        isIP(host) ? 'it' : 'its addresses'
      }, to ${ALLOWED_HOSTS_KEY}`;
    case 'address_outside':
      return `${host} resolves to ${refusal.address}, which is not allowed: add the name, or a CIDR covering that address, to ${ALLOWED_HOSTS_KEY}`;
    case 'always_refused':
      return refusal.address === host
        ? `${host} is a ${refusal.why}, which is never probed whatever the configuration says: point the check at the service's own address`
        : `${host} resolves to ${refusal.address}, a ${refusal.why}, which is never probed whatever the configuration says: point the check at the service's own address`;
    case 'metadata_name':
      return `${host} is a cloud metadata service, which is never probed whatever the configuration says: point the check at the service's own address`;
    default: // empty_host
      return "the address has no host: set the service's URL";
  }
}

export class HostNotAllowedError extends Error {
  constructor(readonly host: string, readonly refusal: HostRefusal) {
    super(describeRefusal(host, refusal));
    this.name = 'HostNotAllowedError';
  }
}

/** Names of cloud instance-metadata services: refused whatever the configuration says. */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * Ranges refused whatever the configuration says: link-local (where cloud metadata lives), the metadata
 * addresses outside it, and "this network" (0.0.0.0 reaches the local host on Linux).
 */
const ALWAYS_REFUSED: Array<{
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  why: string;
}> = [
  {
    range: ipaddr.parseCIDR('169.254.0.0/16'),
    why: 'link-local address (cloud metadata lives here)',
  },
  { range: ipaddr.parseCIDR('fe80::/10'), why: 'link-local address' },
  {
    range: ipaddr.parseCIDR('fd00:ec2::254/128'),
    why: 'cloud metadata address (AWS IMDS over IPv6)',
  },
  {
    range: ipaddr.parseCIDR('100.100.100.200/32'),
    why: 'cloud metadata address (Alibaba Cloud)',
  },
  {
    range: ipaddr.parseCIDR('192.0.0.192/32'),
    why: 'cloud metadata address (Oracle Cloud)',
  },
  { range: ipaddr.parseCIDR('0.0.0.0/8'), why: 'unspecified address' },
  { range: ipaddr.parseCIDR('::/128'), why: 'unspecified address' },
];

const defaultResolveAll: ResolveAll = async host => {
  const all = await dnsLookup(host, { all: true, verbatim: true });
  return all.map(a => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Lower-case, without brackets around IPv6 literals and without the trailing root dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** IPv4-mapped IPv6 (::ffff:169.254.169.254) is treated as the IPv4 address it carries. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  return ipaddr.process(address);
}

/** Why an address is always refused, or undefined. */
export function alwaysRefusedReason(address: string): string | undefined {
  const parsed = parseAddress(address);
  for (const { range, why } of ALWAYS_REFUSED) {
    if (parsed.kind() === range[0].kind() && parsed.match(range)) return why;
  }
  return undefined;
}

function splitAllowList(allowedHosts: string[]) {
  const cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const globs: string[] = [];
  for (const raw of allowedHosts) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      cidrs.push(ipaddr.parseCIDR(entry));
    } else if (isIP(normalizeHost(entry))) {
      const ip = parseAddress(normalizeHost(entry));
      cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      globs.push(normalizeHost(entry));
    }
  }
  return { cidrs, globs };
}

/**
 * The SSRF guard for probes. A host is allowed when its name matches a glob, or when every address it resolves
 * to lies in an allowed CIDR. Link-local and cloud metadata names/addresses are refused always, also when a
 * permitted name resolves to them.
 */
export function createHostGuard(options: HostGuardOptions): ResolvingHostGuard {
  const { cidrs, globs } = splitAllowList(options.allowedHosts);
  const resolveAll = options.resolve ?? defaultResolveAll;

  const inAllowedCidr = (address: string) => {
    const parsed = parseAddress(address);
    return cidrs.some(
      range => parsed.kind() === range[0].kind() && parsed.match(range),
    );
  };
  // Compiled once: a sweep checks thousands of hosts.
  const matchers = globs.map(
    glob => new Minimatch(glob, { nocase: true, dot: true }),
  );
  const nameAllowed = (host: string) => matchers.some(m => m.match(host));

  const checkAddress = (host: string, address: string, byName: boolean) => {
    const refused = alwaysRefusedReason(address);
    if (refused)
      throw new HostNotAllowedError(host, {
        rule: 'always_refused',
        address,
        why: refused,
      });
    if (!byName && !inAllowedCidr(address)) {
      throw new HostNotAllowedError(
        host,
        address === host
          ? { rule: 'not_listed' }
          : { rule: 'address_outside', address },
      );
    }
  };

  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  /** Allowed hosts only, by the host as given; bounded, so a sweep over many names cannot grow it without end. */
  const cache = new Map<
    string,
    { addresses: AllowedAddress[]; expiresAt: number }
  >();
  const MAX_CACHED_HOSTS = 10_000;
  const remember = (
    host: string,
    addresses: AllowedAddress[],
    ttlMs: number,
  ) => {
    if (ttlMs <= 0) return;
    if (cache.size >= MAX_CACHED_HOSTS) cache.clear();
    cache.set(host, { addresses, expiresAt: Date.now() + ttlMs });
  };

  /** The answer for an IP literal (no DNS involved), thrown when refused. */
  function checkLiteral(host: string, family: number): AllowedAddress[] {
    checkAddress(host, host, nameAllowed(host));
    return [{ address: host, family: family === 6 ? 6 : 4 }];
  }

  function cachedAllowed(rawHost: string): AllowedAddress[] | undefined {
    const hit = cache.get(rawHost);
    if (hit && hit.expiresAt > Date.now()) return hit.addresses;
    const host = normalizeHost(rawHost);
    const literal = isIP(host);
    if (!literal) return undefined;
    try {
      const addresses = checkLiteral(host, literal);
      // A literal's verdict depends only on the configuration, which does not change.
      remember(rawHost, addresses, Number.MAX_SAFE_INTEGER / 2);
      return addresses;
    } catch {
      return undefined; // resolveAllowed reports the refusal
    }
  }

  async function resolveAllowed(rawHost: string): Promise<AllowedAddress[]> {
    const cached = cachedAllowed(rawHost);
    if (cached) return cached;
    const host = normalizeHost(rawHost);
    if (!host) throw new HostNotAllowedError(rawHost, { rule: 'empty_host' });
    if (METADATA_NAMES.has(host))
      throw new HostNotAllowedError(host, { rule: 'metadata_name' });
    const literal = isIP(host);
    if (literal) return checkLiteral(host, literal);
    const byName = nameAllowed(host);
    // A name outside every glob can only pass through its addresses; skip DNS when no CIDR could admit it.
    if (!byName && cidrs.length === 0) {
      throw new HostNotAllowedError(host, { rule: 'not_listed' });
    }
    const addresses = await resolveAll(host);
    if (addresses.length === 0)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
        code: 'ENOTFOUND',
      });
    for (const { address } of addresses) checkAddress(host, address, byName);
    remember(rawHost, addresses, cacheTtlMs);
    return addresses;
  }

  return {
    resolveAllowed,
    cachedAllowed,
    async assertAllowed(host: string) {
      await resolveAllowed(host);
    },
  };
}

/** True when the guard can hand back checked addresses (createHostGuard's can; a test double may not). */
export function isResolvingGuard(
  guard: HostGuard,
): guard is ResolvingHostGuard {
  return (
    typeof (guard as Partial<ResolvingHostGuard>).resolveAllowed === 'function'
  );
}
