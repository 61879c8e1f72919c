import { checkOpenApi } from './openApi';

const base = { openapi: '3.0.1', info: { title: 't', version: '1' } };

describe('checkOpenApi', () => {
  it('accepts a valid document and rejects schema and semantic errors', async () => {
    const ok = {
      ...base,
      paths: {
        '/a/{id}': {
          get: {
            parameters: [
              {
                name: 'id',
                in: 'path',
                required: true,
                schema: { type: 'string' },
              },
            ],
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    };
    await expect(checkOpenApi(ok)).resolves.toEqual([]);
    // schema: responses missing
    await expect(
      checkOpenApi({ ...base, paths: { '/a': { get: {} } } }),
    ).resolves.toEqual([expect.stringContaining('schema')]);
    // semantic: path parameter not declared (our OpenAPI 3 check) / not in the path (swagger-parser, 2.0)
    const missingParam = {
      ...base,
      paths: {
        '/a/{id}': { get: { responses: { 200: { description: 'ok' } } } },
      },
    };
    await expect(checkOpenApi(missingParam)).resolves.toEqual([
      expect.stringContaining('path parameter id is not declared'),
    ]);
    const swagger = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: {
            parameters: [
              { name: 'id', in: 'path', required: true, type: 'string' },
            ],
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    };
    await expect(checkOpenApi(swagger)).resolves.toEqual([
      expect.stringContaining('no corresponding {id}'),
    ]);
  });

  it('validates swagger 2.0 and treats {x=**} as a path parameter', async () => {
    const doc = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {
        '/mps/{path=**}': {
          get: {
            parameters: [
              { name: 'path', in: 'path', required: true, type: 'string' },
            ],
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    };
    await expect(checkOpenApi(doc)).resolves.toEqual([]);
    await expect(checkOpenApi({ ...doc, swagger: '2.1' })).resolves.toEqual([
      expect.stringContaining('unsupported'),
    ]);
  });
});
