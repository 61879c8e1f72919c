import { parse, parseAllDocuments } from 'yaml';
import { toYaml, toYamlDocuments } from './yaml';

const tricky = {
  plain: 'abc',
  reserved: ['true', 'no', 'null', '~', 'On', 'y'],
  numbers: ['3.8', '4433', '1e3', '0x1F', '-1', '.5'],
  realNumbers: [1, 2.5, 0, -3],
  booleans: [true, false],
  nothing: null,
  regex: '~/mps/login/api/v1/authorize$',
  colon: 'a: b',
  hash: 'a #b',
  quotes: `it's "quoted"`,
  template: '{{ .jwtSecret }}',
  star: '*',
  empty: '',
  emptyList: [],
  emptyMap: {},
  nested: [{ a: 1, b: [{ c: 'd' }, 'e'] }, [1, [2]], {}],
  multiline: 'line 1\n  indented\n\nlast\n',
  noTrailingNewline: 'a\nb',
  manyTrailing: 'a\n\n\n',
  spaceFirst: ' leading\nx',
  trailingSpace: 'a \nb',
  tabbed: 'a\n\tb',
  crlf: 'a\r\nb',
  unicode: 'é ü 日本',
  'key with space': 1,
  'k:colon': 2,
  'alb.ingress.kubernetes.io/scheme': 'internet-facing',
  '/mps/{proxy+}': { get: { ok: true } },
};

describe('toYaml', () => {
  it('round-trips tricky values through the yaml parser', () => {
    expect(parse(toYaml(tricky))).toEqual(tricky);
  });

  it('round-trips multi-document files', () => {
    const docs = [{ a: 1 }, { b: ['x', { c: 'y' }] }];
    expect(parseAllDocuments(toYamlDocuments(docs)).map(d => d.toJS())).toEqual(
      docs,
    );
  });

  it('omits undefined values like JSON does', () => {
    expect(
      parse(toYaml({ a: 1, b: undefined, c: [{ d: undefined, e: 2 }] })),
    ).toEqual({ a: 1, c: [{ e: 2 }] });
  });
});
