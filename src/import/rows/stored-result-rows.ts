/**
 * Streams the rows of a job result offloaded to storage (results above INLINE_RESULT_MAX_BYTES,
 * where the largest ones live): the object is read as a stream and the record type's list picked
 * out of it by JsonListScanner, a batch of rows at a time, so neither the result nor all its rows
 * are held. The row count (sync answer or 202) costs one more read of the object, without parsing.
 */
import { Inject, Injectable } from '@nestjs/common';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';
import { JsonListScanner } from './json-list-scanner';
import { readerOf } from './result-rows';
import { RowStream } from './row-stream';
import { SourceRow } from './source-row';

@Injectable()
export class StoredResultRows {
  constructor(@Inject(STORAGE_DRIVER) private readonly storage: StorageDriver) {}

  /**
   * A stream when the record type's rows are one list of objects (for the format's default, when
   * that list has rows); null when the result must be read whole.
   */
  async open(
    resultUrl: string,
    format: string,
    recordType: string | null,
  ): Promise<RowStream | null> {
    const reader = readerOf(format, recordType);
    if (!reader?.list) return null;
    const { path, row } = reader.list;
    const key = this.storage.keyFromUrl(resultUrl);
    const objects = (parse: boolean) => this.objects(key, path, parse);
    let count = 0;
    for await (const found of objects(false)) count += found.length;
    // The default is the first record type with rows: only this one is known to have them.
    if (recordType === null && count === 0) return null;
    return {
      record_type: reader.name,
      maxRows: count,
      async *batches(size) {
        let batch: SourceRow[] = [];
        for await (const found of objects(true)) {
          for (const object of found) {
            batch.push(row(object));
            if (batch.length === size) {
              yield batch;
              batch = [];
            }
          }
        }
        if (batch.length > 0) yield batch;
      },
    };
  }

  /** The list's objects, chunk by chunk of the stored object. */
  private async *objects(
    key: string,
    path: string[],
    parse: boolean,
  ): AsyncGenerator<Record<string, unknown>[]> {
    const scanner = new JsonListScanner(path, parse);
    const stream = await this.storage.get(key);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const found = scanner.push(chunk);
        if (found.length > 0) yield found;
      }
    } finally {
      stream.destroy();
    }
  }
}
