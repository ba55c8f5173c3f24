/**
 * CI's client check: types generated from the OpenAPI document with openapi-typescript, and the
 * small client in test/openapi-client/ type-checked against them. A client that reads a field the
 * document does not have must fail the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLIENT_DIR,
  GENERATED_DIR,
  generateClientTypes,
  typeCheck,
} from '../../scripts/openapi-client-check';

describe('a client generated from the OpenAPI document', () => {
  let typesFile: string;
  let documentFile: string;

  beforeAll(async () => {
    ({ typesFile, documentFile } = await generateClientTypes());
  }, 120_000);

  it('documents a body schema for every 2xx of the API and ErrorBody for every error', () => {
    type Response = { content?: Record<string, { schema?: unknown }> };
    const document = JSON.parse(readFileSync(documentFile, 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, { responses }] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const media = Object.values(response.content ?? {});
          if (/^2/.test(status) && status !== '204' && !media.some((m) => m.schema))
            problems.push(`${where}: no body schema`);
          if (
            /^[45]/.test(status) &&
            JSON.stringify(response.content) !==
              JSON.stringify({
                'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } },
              })
          )
            problems.push(`${where}: not the ErrorBody schema`);
        }
        if (!('401' in responses)) problems.push(`${method.toUpperCase()} ${path}: 401 missing`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['ErrorBody', 'JobResponse', 'JobListResponse', 'BulkResponse']),
    );
  });

  it('has types for the schemas and routes the frontend uses', () => {
    const types = readFileSync(typesFile, 'utf8');
    for (const name of ['JobResponse', 'JobListResponse', 'BulkResponse', 'ErrorBody'])
      expect(types).toContain(`${name}: {`);
    expect(types).toContain('"/api/v1/extraction/jobs/{id}": {');
  });

  it('type-checks the client against them', () => {
    expect(typeCheck(join(CLIENT_DIR, 'tsconfig.json'))).toBeNull();
  }, 120_000);

  it('refuses a client that reads an undocumented field or sends a wrong query', () => {
    writeFileSync(
      join(GENERATED_DIR, 'wrong-client.ts'),
      [
        "import type { components, paths } from './extraction-api';",
        "type Job = components['schemas']['JobResponse'];",
        "type Query = NonNullable<paths['/api/v1/extraction/jobs']['get']['parameters']['query']>;",
        'export const owner = (job: Job): string => job.owner_id;',
        "export const query: Query = { page_size: '20' };",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(GENERATED_DIR, 'tsconfig.wrong.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        include: ['wrong-client.ts', 'extraction-api.d.ts'],
      }),
    );
    const report = typeCheck(join(GENERATED_DIR, 'tsconfig.wrong.json'));
    expect(report).toContain("Property 'owner_id' does not exist");
    expect(report).toContain("Type 'string' is not assignable to type 'number'");
  }, 120_000);
});
