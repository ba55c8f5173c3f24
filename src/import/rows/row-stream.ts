/** The rows of one record type of one result, read in batches in row_index order. */
import { SourceRow } from './source-row';

export interface RowStream {
  record_type: string;
  /** At least the number of rows (exact when the rows are in memory): sync or 202 is chosen on it. */
  maxRows: number;
  /** The rows from row_index 0 on, `size` at a time. */
  batches(size: number): AsyncIterable<SourceRow[]> | Iterable<SourceRow[]>;
}

/** Rows already in memory (results read whole: offloaded to storage, or not one list per row). */
export function memoryRowStream(record_type: string, rows: SourceRow[]): RowStream {
  return {
    record_type,
    maxRows: rows.length,
    *batches(size) {
      for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
    },
  };
}

/** The same rows with more columns (a bulk's source_file and source_format). */
export function withColumns(stream: RowStream, columns: SourceRow): RowStream {
  return {
    ...stream,
    async *batches(size) {
      for await (const batch of stream.batches(size))
        yield batch.map((r) => ({ ...r, ...columns }));
    },
  };
}
