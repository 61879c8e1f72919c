import { ProbeFacts } from './ProbeFacts';

const ref = 'system:default/prod';

describe('ProbeFacts', () => {
  it('trusts a fact for maxAge after it was learned, then asks again', () => {
    let now = 1_000_000;
    const facts = new ProbeFacts(600_000, () => now);
    facts
      .memoryFor(ref, 'mps')!
      .remember('version', { serviceVersion: '2.13.21' });
    now += 599_999;
    expect(facts.memoryFor(ref, 'mps')!.recall('version')).toEqual({
      serviceVersion: '2.13.21',
    });
    now += 1;
    expect(facts.memoryFor(ref, 'mps')!.recall('version')).toBeUndefined();
  });

  it('keeps facts per deployment and component, and forgets on request', () => {
    const facts = new ProbeFacts(600_000);
    facts.memoryFor(ref, 'mps')!.remember('version', 'a');
    expect(facts.memoryFor(ref, 'rps')!.recall('version')).toBeUndefined();
    expect(
      facts.memoryFor('system:default/other', 'mps')!.recall('version'),
    ).toBeUndefined();
    facts.memoryFor(ref, 'mps')!.forget('version');
    expect(facts.memoryFor(ref, 'mps')!.recall('version')).toBeUndefined();
  });

  it('recalls nothing for a fresh probe, which still teaches the next one', () => {
    const facts = new ProbeFacts(600_000);
    facts.memoryFor(ref, 'gateway')!.remember('drift', 'old');
    const fresh = facts.memoryFor(ref, 'gateway', { fresh: true })!;
    expect(fresh.recall('drift')).toBeUndefined();
    fresh.remember('drift', 'new');
    expect(facts.memoryFor(ref, 'gateway')!.recall('drift')).toBe('new');
  });

  it('drops deployments that left the catalog', () => {
    const facts = new ProbeFacts(600_000);
    facts.memoryFor(ref, 'secrets')!.remember('token', 1);
    facts.memoryFor('system:default/gone', 'secrets')!.remember('token', 2);
    facts.retainOnly(new Set([ref]));
    expect(facts.memoryFor(ref, 'secrets')!.recall('token')).toBe(1);
    expect(
      facts.memoryFor('system:default/gone', 'secrets')!.recall('token'),
    ).toBeUndefined();
  });

  it('gives no memory when switched off (maxAge 0)', () => {
    expect(new ProbeFacts(0).memoryFor(ref, 'mps')).toBeUndefined();
  });
});
