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

  beforeAll(async () => {
    ({ typesFile } = await generateClientTypes());
  }, 120_000);

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
