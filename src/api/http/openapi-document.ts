/**
 * The OpenAPI document of the API, built from the controllers' and DTOs' decorators. Shared by
 * bootstrap.ts (served at /api/docs) and scripts/write-openapi.ts (written to a file for client
 * generation, without a database: the app is created in Nest's preview mode).
 */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody } from '../dto/error-body.response';
import { ExtractionResult } from '../dto/extraction-result.response';

/** Schemas whose objects may carry more properties than listed (a format's own result fields). */
const OPEN_SCHEMAS = [ExtractionResult.name];

export function createApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Extraction service')
      .setDescription(
        'Turns engineering files (PDF, DXF, IFC, STEP, bills of materials) into structured data, as jobs. ' +
          'Errors: `{ code, message, detail, details?, request_id }` (schema ErrorBody).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ErrorBody] },
  );
  const schemas = document.components?.schemas ?? {};
  for (const name of OPEN_SCHEMAS) {
    const schema = schemas[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = true;
  }
  return document;
}
