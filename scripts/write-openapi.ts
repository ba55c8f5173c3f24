/**
 * Writes the OpenAPI document to a file without PostgreSQL, Redis or storage: Nest's preview mode
 * resolves the module graph without instantiating providers, which is all the document needs.
 * Usage: ts-node --transpile-only scripts/write-openapi.ts [out.json] (default openapi.json)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { OpenAPIObject } from '@nestjs/swagger';
import { createApiDocument } from '../src/api/http/openapi-document';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';

export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const config = AppConfig.fromEnvironment({}, { ROLE: 'api', NODE_ENV: 'development' });
  const app = await NestFactory.create(AppModule.register(config), {
    preview: true,
    logger: false,
  });
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const out = process.argv[2] ?? 'openapi.json';
  buildOpenApiDocument()
    .then((document) => writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
