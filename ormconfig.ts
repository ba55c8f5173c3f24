/** DataSource for the TypeORM CLI (npm run migration:run / migration:generate / migration:revert). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { DEFAULT_DATABASE_URL } from './src/config/defaults';

export default new DataSource(
  buildDataSourceOptions(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL),
);
