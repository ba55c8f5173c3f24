/** Builds the Nest application for a configuration; shared by main.ts and the e2e tests. */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpErrorFilter } from './api/http/http-error.filter';
import { AppModule, HostModules } from './app.module';
import { AppConfig } from './config/app-config';

export async function buildApplication(
  config: AppConfig,
  create: (module: ReturnType<typeof AppModule.register>) => Promise<INestApplication>,
  host: HostModules = {},
): Promise<INestApplication> {
  const app = await create(AppModule.register(config, host));
  app.useGlobalFilters(new HttpErrorFilter());
  if (config.runsApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Extraction service')
        .setDescription(
          'Turns engineering files (PDF, DXF, IFC, STEP, bills of materials) into structured data, as jobs. ' +
            'Errors: `{ code, message, detail, details?, request_id }`.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  return app;
}
