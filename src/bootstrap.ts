/** Builds the Nest application for a configuration; shared by main.ts and the e2e tests. */
import { INestApplication, Type } from '@nestjs/common';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

export const API_MODULES: Type[] = [];

export async function buildApplication(
  config: AppConfig,
  create: (module: ReturnType<typeof AppModule.register>) => Promise<INestApplication>,
): Promise<INestApplication> {
  const app = await create(AppModule.register(config, { api: API_MODULES }));
  return app;
}
