/**
 * The OpenAPI document of the API, built from the controllers' and DTOs' decorators. Shared by
 * bootstrap.ts (served at /api/docs) and scripts/write-openapi.ts (written to a file for client
 * generation, without a database: the app is created in Nest's preview mode).
 */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody } from '../dto/error-body.response';
import { ExtractionResult } from '../dto/extraction-result.response';

/**
 * A route that takes different bodies per media type (POST /jobs: an upload or a JSON body)
 * names them with this extension, `{ "media/type": "#/components/schemas/X" }`; @ApiBody can give
 * only one schema for all media types.
 */
export const REQUEST_BODY_BY_MEDIA_TYPE = 'x-request-body-by-media-type';

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
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Record<string, unknown>[]) {
      const byMedia = operation?.[REQUEST_BODY_BY_MEDIA_TYPE] as Record<string, string> | undefined;
      if (!byMedia) continue;
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(
          Object.entries(byMedia).map(([media, ref]) => [media, { schema: { $ref: ref } }]),
        ),
      };
      delete operation[REQUEST_BODY_BY_MEDIA_TYPE];
    }
  }
  return document;
}
