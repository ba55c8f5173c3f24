/** Builds the Nest application for a configuration; shared by main.ts and the e2e tests. */
import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { HttpErrorFilter } from './api/http/http-error.filter';
import { createApiDocument } from './api/http/openapi-document';
import { apiValidationPipe } from './api/http/validation';
import { AppModule, HostModules } from './app.module';
import { AppConfig } from './config/app-config';

export async function buildApplication(
  config: AppConfig,
  create: (module: ReturnType<typeof AppModule.register>) => Promise<INestApplication>,
  host: HostModules = {},
): Promise<INestApplication> {
  const app = await create(AppModule.register(config, host));
  app.useGlobalFilters(new HttpErrorFilter());
  // Query parameters and JSON bodies: DTOs with class-validator; errors are VALIDATION_FAILED.
  app.useGlobalPipes(apiValidationPipe());
  if (config.runsApi) {
    const document = createApiDocument(app);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  return app;
}
