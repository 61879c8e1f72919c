/**
 * CloudFormation structure: resource types are AWS:: types with Properties, and every Ref, Fn::GetAtt
 * and Fn::Sub `${…}` resolves to a parameter, a resource or a pseudo parameter.
 */
const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NoValue',
]);

export function checkCloudFormation(t: any): string[] {
  const issues: string[] = [];
  if (t?.AWSTemplateFormatVersion !== '2010-09-09')
    issues.push('AWSTemplateFormatVersion must be 2010-09-09');
  const params = new Set(Object.keys(t?.Parameters ?? {}));
  const resources = new Set(Object.keys(t?.Resources ?? {}));
  if (!resources.size) issues.push('no Resources');
  for (const [id, r] of Object.entries<any>(t?.Resources ?? {})) {
    if (!/^[A-Za-z0-9]+$/.test(id))
      issues.push(`logical id ${id} must be alphanumeric`);
    if (!/^AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+$/.test(r?.Type ?? ''))
      issues.push(`${id}: bad Type ${r?.Type}`);
  }
  for (const [id, p] of Object.entries<any>(t?.Parameters ?? {}))
    if (!p?.Type) issues.push(`parameter ${id} has no Type`);
  const known = (name: string) =>
    params.has(name) || resources.has(name) || PSEUDO.has(name);
  const walk = (v: any, where: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries<any>(v)) {
        if (k === 'Ref' && !known(x))
          issues.push(`${where}: Ref ${x} unresolved`);
        if (
          k === 'Fn::GetAtt' &&
          !resources.has(Array.isArray(x) ? x[0] : String(x).split('.')[0])
        )
          issues.push(`${where}: GetAtt ${x} unresolved`);
        if (k === 'Fn::Sub') {
          const s = Array.isArray(x) ? x[0] : x;
          for (const m of String(s).matchAll(/\$\{([^}!]+)\}/g)) {
            const name = m[1].split('.')[0];
            if (
              !known(name) &&
              !(Array.isArray(x) && x[1]?.[name] !== undefined)
            )
              issues.push(`${where}: Sub variable ${m[1]} unresolved`);
          }
        }
        walk(x, `${where}.${k}`);
      }
    }
  };
  walk(t?.Resources, 'Resources');
  walk(t?.Outputs, 'Outputs');
  return issues;
}
