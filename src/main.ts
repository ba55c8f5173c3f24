/**
 * Starts one process in the role from ROLE (api, worker or all). Every role serves /health and
 * /metrics on PORT; the api role also serves the extraction API and its OpenAPI document.
 */
import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from './config/app-config';
import { buildApplication } from './bootstrap';

async function main(): Promise<void> {
  loadDotEnv();
  const config = AppConfig.fromEnvironment(process.env);
  const logger = new ConsoleLogger({
    json: config.logFormat === 'json',
    logLevels: config.logLevels,
    prefix: `extraction-${config.role}`,
  });
  const app = await buildApplication(config, (module) =>
    NestFactory.create(module, { logger, bufferLogs: true }),
  );
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  const log = new Logger('Main');
  log.log(`Role ${config.role} listening on ${url}`);
  if (config.runsApi) log.log(`API ${url}/api/v1/extraction, OpenAPI ${url}/api/docs`);
  log.log(`Health ${url}/health, metrics ${url}/metrics`);
}

/** Reads `.env` from the working directory, if present, without overriding the environment. */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env: the environment alone configures the process
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
