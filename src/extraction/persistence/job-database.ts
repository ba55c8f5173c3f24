/**
 * How the job repositories talk to PostgreSQL: raw SQL through TypeORM's connection pool, rows
 * mapped to ExtractionJob by the entity's own metadata. Outside transactions, statements are
 * named prepared statements, so each connection plans a lifecycle statement once.
 */
import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { MetricsService } from '../../metrics/metrics.service';
import { ExtractionJob } from '../entities/extraction-job.entity';
import { createJobRowMapper, JobRow } from './job-row.mapper';

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `extraction_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

@Injectable()
export class JobDatabase {
  readonly toJob: (row: JobRow) => ExtractionJob;
  /** `j.<column>, …` for every column but `result`: a completion need not read back its result. */
  readonly columnsButResult: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.toJob = createJobRowMapper(dataSource);
    this.columnsButResult = dataSource
      .getMetadata(ExtractionJob)
      .columns.filter((column) => column.databaseName !== 'result')
      .map((column) => `j.${column.databaseName}`)
      .join(', ');
  }

  async run(sql: string, params: unknown[], runner?: QueryRunner): Promise<JobRow[]> {
    this.metrics?.databaseStatements.inc();
    if (runner) return (await runner.query(sql, params, true)).records as JobRow[];
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const result = await pool.query<JobRow>({
      name: statementName(sql),
      text: sql,
      values: params,
    });
    return result.rows;
  }

  async jobs(sql: string, params: unknown[], runner?: QueryRunner): Promise<ExtractionJob[]> {
    return (await this.run(sql, params, runner)).map(this.toJob);
  }

  async job(sql: string, params: unknown[], runner?: QueryRunner): Promise<ExtractionJob | null> {
    return (await this.jobs(sql, params, runner))[0] ?? null;
  }

  async transaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    this.metrics?.databaseStatements.inc(2); // BEGIN and COMMIT
    try {
      const value = await work(runner);
      await runner.commitTransaction();
      return value;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
