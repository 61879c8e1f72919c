import { classifyNetworkError, failureToProbeResult } from './failures';
import { createHostGuard, HostNotAllowedError, ResolveAll } from './hostGuard';

/** DNS answers by name, as an injected resolver (the guard's own resolution path is what is tested). */
function fakeDns(table: Record<string, string[]>): ResolveAll {
  return async host => {
    const addresses = table[host];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
        code: 'ENOTFOUND',
      });
    return addresses.map(address => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
}

describe('createHostGuard', () => {
  const dns = fakeDns({
    'mps.example.com': ['10.1.2.3'],
    'deep.sub.example.com': ['10.1.2.4'],
    'rebind.example.com': ['169.254.169.254'],
    'mixed.example.com': ['10.0.0.5', 'fe80::1'],
    'internal.corp': ['10.20.30.40'],
    'outside.corp': ['10.20.30.40', '8.8.8.8'],
    'evil.example.org': ['93.184.216.34'],
    'example.com.evil.org': ['93.184.216.35'],
    'v6metadata.example.com': ['fd00:ec2::254'],
    'mapped.example.com': ['::ffff:169.254.169.254'],
  });
  const guard = createHostGuard({
    allowedHosts: ['*.example.com', 'localhost', '10.0.0.0/8', '127.0.0.1/8'],
    resolve: dns,
  });

  it('allows names matching a glob, at any depth below it', async () => {
    await expect(
      guard.assertAllowed('mps.example.com'),
    ).resolves.toBeUndefined();
    await expect(
      guard.assertAllowed('deep.sub.example.com'),
    ).resolves.toBeUndefined();
    await expect(guard.resolveAllowed('MPS.Example.COM.')).resolves.toEqual([
      { address: '10.1.2.3', family: 4 },
    ]);
  });

  it('refuses names outside every glob unless all their addresses are in an allowed CIDR', async () => {
    await expect(guard.assertAllowed('internal.corp')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('outside.corp')).rejects.toThrow(
      /outside\.corp resolves to 8\.8\.8\.8, which is not allowed/,
    );
    await expect(
      guard.assertAllowed('evil.example.org'),
    ).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(
      guard.assertAllowed('example.com.evil.org'),
    ).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it('allows IP literals in CIDRs and refuses others', async () => {
    await expect(guard.assertAllowed('127.0.0.1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('127.5.6.7')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('10.255.0.1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('192.168.1.1')).rejects.toThrow(
      /^192\.168\.1\.1 is not allowed/,
    );
    await expect(guard.assertAllowed('[::1]')).rejects.toThrow(
      /^::1 is not allowed/,
    );
  });

  it('always refuses link-local and cloud metadata addresses, even when a CIDR covers them', async () => {
    const permissive = createHostGuard({
      allowedHosts: ['*', '0.0.0.0/0', '::/0'],
      resolve: dns,
    });
    for (const host of [
      '169.254.169.254',
      '169.254.170.2',
      'fe80::1',
      '[fe80::abcd]',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '100.100.100.200',
      '0.0.0.0',
    ]) {
      await expect(permissive.assertAllowed(host)).rejects.toBeInstanceOf(
        HostNotAllowedError,
      );
    }
    await expect(
      permissive.assertAllowed('metadata.google.internal'),
    ).rejects.toThrow(/cloud metadata/);
    await expect(
      permissive.assertAllowed('METADATA.GOOGLE.INTERNAL.'),
    ).rejects.toThrow(/cloud metadata/);
    await expect(permissive.assertAllowed('8.8.8.8')).resolves.toBeUndefined();
  });

  it('refuses an allowed name that resolves to a metadata or link-local address (DNS rebinding)', async () => {
    await expect(guard.assertAllowed('rebind.example.com')).rejects.toThrow(
      /resolves to 169\.254\.169\.254, a link-local/,
    );
    await expect(guard.assertAllowed('mixed.example.com')).rejects.toThrow(
      /fe80::1/,
    );
    await expect(guard.assertAllowed('v6metadata.example.com')).rejects.toThrow(
      /metadata/,
    );
    await expect(guard.assertAllowed('mapped.example.com')).rejects.toThrow(
      /link-local/,
    );
  });

  it('passes DNS failures through as DNS errors, not as refusals', async () => {
    await expect(
      guard.assertAllowed('nothing.example.com'),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('refuses without a DNS lookup when no CIDR could admit the name', async () => {
    const lookups: string[] = [];
    const globsOnly = createHostGuard({
      allowedHosts: ['*.example.com'],
      resolve: async host => {
        lookups.push(host);
        return [{ address: '10.0.0.1', family: 4 }];
      },
    });
    await expect(globsOnly.assertAllowed('other.org')).rejects.toBeInstanceOf(
      HostNotAllowedError,
    );
    expect(lookups).toEqual([]);
  });

  it('reuses a checked answer within cacheTtlMs, but never a refusal or a lookup failure', async () => {
    const lookups: string[] = [];
    let answer = '10.0.0.1';
    const resolve: ResolveAll = async host => {
      lookups.push(host);
      if (host.startsWith('gone.'))
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), {
          code: 'ENOTFOUND',
        });
      return [{ address: answer, family: 4 }];
    };
    const cached = createHostGuard({
      allowedHosts: ['*.example.com'],
      resolve,
      cacheTtlMs: 60_000,
    });
    await cached.resolveAllowed('a.example.com');
    await cached.resolveAllowed('a.example.com');
    expect(cached.cachedAllowed?.('a.example.com')).toEqual([
      { address: '10.0.0.1', family: 4 },
    ]);
    expect(cached.cachedAllowed?.('b.example.com')).toBeUndefined();
    answer = '169.254.169.254';
    await expect(cached.assertAllowed('b.example.com')).rejects.toThrow(
      /link-local/,
    );
    await expect(cached.assertAllowed('b.example.com')).rejects.toThrow(
      /link-local/,
    );
    await expect(
      cached.assertAllowed('gone.example.com'),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(
      cached.assertAllowed('gone.example.com'),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(lookups).toEqual([
      'a.example.com',
      'b.example.com',
      'b.example.com',
      'gone.example.com',
      'gone.example.com',
    ]);
    // Literals never need DNS; refused ones stay refused.
    expect(cached.cachedAllowed?.('169.254.169.254')).toBeUndefined();
    await expect(
      cached.assertAllowed('169.254.169.254'),
    ).rejects.toBeInstanceOf(HostNotAllowedError);

    const uncached = createHostGuard({
      allowedHosts: ['*.example.com'],
      resolve,
      cacheTtlMs: 0,
    });
    answer = '10.0.0.2';
    await uncached.resolveAllowed('c.example.com');
    await uncached.resolveAllowed('c.example.com');
    expect(lookups.filter(h => h === 'c.example.com')).toHaveLength(2);
  });

  it('resolves real DNS by default: localhost resolves to loopback only', async () => {
    const real = createHostGuard({ allowedHosts: ['localhost'] });
    const addresses = await real.resolveAllowed('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    for (const a of addresses)
      expect(['127.0.0.1', '::1']).toContain(a.address);
  });
});

describe('a refusal an operator reads once', () => {
  const occurrences = (text: string, part: string) =>
    text.split(part).length - 1;
  const KEY = 'openAmt.health.allowedHosts';
  const dns = fakeDns({
    'mps.example.com': ['10.1.2.3'],
    'rebind.example.com': ['169.254.169.254'],
  });
  const guard = createHostGuard({
    allowedHosts: ['192.168.0.0/16'],
    resolve: dns,
  });

  /** The row a refused HTTP probe records, built as probeHttp and failureToProbeResult build it. */
  async function rowFor(host: string, url: string) {
    const error = await guard.assertAllowed(host).then(
      () => {
        throw new Error(`${host} was allowed`);
      },
      (e: unknown) => e as HostNotAllowedError,
    );
    expect(error).toBeInstanceOf(HostNotAllowedError);
    const subject = `MPS ${url}`;
    const { message } = failureToProbeResult(subject, {
      failure: classifyNetworkError(error).failure,
      message: `was not probed: ${error.message}`,
      latencyMs: 0,
      url,
    });
    return { subject, message, sentence: message.slice(subject.length) };
  }

  it.each([
    ['127.0.0.1', 'https://127.0.0.1:3000'],
    ['mps.example.com', 'https://mps.example.com'],
  ])(
    'names %s and the configuration key once each, and says to add it',
    async (host, url) => {
      const { message, sentence } = await rowFor(host, url);
      expect(occurrences(sentence, host)).toBe(1);
      expect(occurrences(message, KEY)).toBe(1);
      expect(message).toMatch(
        new RegExp(`add (it|the name), or a CIDR covering .*, to ${KEY}\\.$`),
      );
      // One sentence: one period, at the end (the host's own dots aside).
      expect(occurrences(sentence.replaceAll(host, ''), '. ')).toBe(0);
      expect(message).not.toMatch(/not allowed.*not allowed|outside/);
    },
  );

  it('says once that a metadata / link-local address is never probed, and what to do', async () => {
    const { message, sentence } = await rowFor(
      'rebind.example.com',
      'https://rebind.example.com',
    );
    expect(occurrences(sentence, 'rebind.example.com')).toBe(1);
    expect(occurrences(message, '169.254.169.254')).toBe(1);
    expect(occurrences(message, KEY)).toBe(0);
    expect(message).toBe(
      "MPS https://rebind.example.com was not probed: rebind.example.com resolves to 169.254.169.254, a link-local address (cloud metadata lives here), which is never probed whatever the configuration says: point the check at the service's own address.",
    );
  });

  it('the exact sentence for an IP literal outside the list', async () => {
    expect((await rowFor('127.0.0.1', 'https://127.0.0.1:3000')).message).toBe(
      'MPS https://127.0.0.1:3000 was not probed: 127.0.0.1 is not allowed: add it, or a CIDR covering it, to openAmt.health.allowedHosts.',
    );
  });
});
