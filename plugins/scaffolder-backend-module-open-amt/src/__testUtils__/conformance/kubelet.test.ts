/** The kubelet expansion model against the vendor's own cases: kubernetes third_party/forked/golang/expansion/expand_test.go. */
import { kubeletExpand } from './kubelet';

describe("kubeletExpand follows kubernetes' expand_test.go", () => {
  // TestMapping's context.
  const context: Record<string, string> = {
    VAR_A: 'A',
    VAR_B: 'B',
    VAR_C: 'C',
    VAR_REF: '$(VAR_A)',
    VAR_EMPTY: '',
  };
  const lookup = (name: string) =>
    name in context ? context[name] : undefined;

  it.each([
    ['$(VAR_A)', 'A'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)-1', 'A-1'],
    ['___$(VAR_B)___', '___B___'],
    ['___$(VAR_C)', '___C'],
    ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['$$(VAR_A)_$$(VAR_B)', '$(VAR_A)_$(VAR_B)'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
    ['foo\\\\$(VAR_C)bar', 'foo\\\\Cbar'],
    ['foo\\\\\\\\$(VAR_A)bar', 'foo\\\\\\\\Abar'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$(VAR_A$(VAR_B)', '$(VAR_A$(VAR_B)'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['%%$(VAR_REF)--$(VAR_REF)%%', '%%$(VAR_A)--$(VAR_A)%%'],
    ['foo$(VAR_EMPTY)bar', 'foobar'],
    ['foo$(VAR_Awhoops!', 'foo$(VAR_Awhoops!'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['$?_boo_$!', '$?_boo_$!'],
    ['$VAR_A', '$VAR_A'],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$$$$$$(BIG_MONEY)', '$$$(BIG_MONEY)'],
    ['$$$$$$(VAR_A)', '$$$(VAR_A)'],
    ['$$$$$$$(GOOD_ODDS)', '$$$$(GOOD_ODDS)'],
    ['$$$$$$$(VAR_A)', '$$$A'],
    ['$VAR_A)', '$VAR_A)'],
    ['${VAR_A}', '${VAR_A}'],
    ['$(VAR_B)_______$(A', 'B_______$(A'],
    ['$(VAR_C)_______$(', 'C_______$('],
    ['$(VAR_A)foobarzab$', 'Afoobarzab$'],
    ['foo-\\$(VAR_A', 'foo-\\$(VAR_A'],
    ['--$($($($($--', '--$($($($($--'],
    ['$($($($($--foo$(', '$($($($($--foo$('],
    ['foo0--$($($($(', 'foo0--$($($($('],
    ['$(foo$$var)', '$(foo$$var)'],
    ['\n', '\n'],
  ])('%j → %j', (input, expected) => {
    expect(kubeletExpand(input, lookup)).toBe(expected);
  });

  it('TestMapReference: each env value sees the ones defined before it', () => {
    const declared: Record<string, string> = {};
    for (const [name, value] of [
      ['FOO', 'bar'],
      ['ZOO', '$(FOO)-1'],
      ['BLU', '$(ZOO)-2'],
    ])
      declared[name] = kubeletExpand(value, n =>
        n in declared ? declared[n] : undefined,
      );
    expect(declared).toEqual({ FOO: 'bar', ZOO: 'bar-1', BLU: 'bar-1-2' });
  });
});
