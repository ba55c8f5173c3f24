/**
 * Maps raw `extraction_jobs` rows (snake_case, as RETURNING * gives them) to ExtractionJob objects,
 * using the entity's own column metadata so the mapping never drifts from the schema.
 */
import { DataSource, ValueTransformer } from 'typeorm';
import { ExtractionJob } from '../entities/extraction-job.entity';

export type JobRow = Record<string, unknown>;

export function createJobRowMapper(dataSource: DataSource): (row: JobRow) => ExtractionJob {
  const columns = dataSource.getMetadata(ExtractionJob).columns.map((column) => ({
    property: column.propertyName,
    name: column.databaseName,
    transformer: column.transformer as ValueTransformer | undefined,
  }));
  return (row) => {
    const job = new ExtractionJob();
    const target = job as unknown as Record<string, unknown>;
    for (const { property, name, transformer } of columns) {
      if (!(name in row)) continue;
      const value = row[name];
      target[property] = transformer ? transformer.from(value) : value;
    }
    return job;
  };
}
