/**
 * What a frontend team does with the OpenAPI document, as a check: write the document (no database
 * needed), generate TypeScript types from it with openapi-typescript, and type-check the small
 * client in test/openapi-client/ against them (strict). Exits non-zero when any step fails.
 * Usage: npm run openapi:client (the integration test test/integration/openapi-client.int-spec.ts
 * runs the same steps, so `npm test` does too).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildOpenApiDocument } from './write-openapi';

export const CLIENT_DIR = resolve(__dirname, '../test/openapi-client');
export const GENERATED_DIR = join(CLIENT_DIR, 'generated');

/** openapi-typescript's CLI (an ES module, so run as its own process) on a document file. */
export function generateTypes(documentFile: string, typesFile: string): void {
  const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
  execFileSync(process.execPath, [cli, documentFile, '--output', typesFile], { stdio: 'pipe' });
}

/** `tsc --noEmit -p <tsconfig>`; the compiler's report when it fails, null when it passes. */
export function typeCheck(tsconfig: string): string | null {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', tsconfig], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    return `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}` || e.message;
  }
}

/** Writes openapi.json and extraction-api.d.ts into test/openapi-client/generated/. */
export async function generateClientTypes(): Promise<{ documentFile: string; typesFile: string }> {
  mkdirSync(GENERATED_DIR, { recursive: true });
  const documentFile = join(GENERATED_DIR, 'openapi.json');
  const typesFile = join(GENERATED_DIR, 'extraction-api.d.ts');
  writeFileSync(documentFile, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
  generateTypes(documentFile, typesFile);
  return { documentFile, typesFile };
}

if (require.main === module) {
  generateClientTypes()
    .then(({ typesFile }) => {
      const report = typeCheck(join(CLIENT_DIR, 'tsconfig.json'));
      if (report) {
        console.error(`The client does not type-check against ${typesFile}:\n${report}`);
        process.exit(1);
      }
      console.log(`Client type-checks against ${typesFile}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
