/** First responses of imports sent with an Idempotency-Key, per owner. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class ImportRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find<T>(ownerId: string, key: string): Promise<T | null> {
    const rows = await this.dataSource.query<{ response: T }[]>(
      `SELECT response FROM import_requests WHERE owner_id = $1 AND idempotency_key = $2`,
      [ownerId, key],
    );
    return rows[0]?.response ?? null;
  }

  /** Keeps the first response; a concurrent request with the same key gets that one back. */
  async remember<T extends object>(ownerId: string, key: string, response: T): Promise<T> {
    await this.dataSource.query(
      `INSERT INTO import_requests (owner_id, idempotency_key, response) VALUES ($1, $2, $3)
       ON CONFLICT (owner_id, idempotency_key) DO NOTHING`,
      [ownerId, key, JSON.stringify(response)],
    );
    return (await this.find<T>(ownerId, key)) ?? response;
  }

  /** The first response for this key if there is one, else `work`'s, remembered under the key. */
  async once<T extends object>(
    ownerId: string,
    key: string | null,
    work: () => Promise<T>,
  ): Promise<T> {
    if (key) {
      const first = await this.find<T>(ownerId, key);
      if (first) return first;
    }
    const response = await work();
    return key ? this.remember(ownerId, key, response) : response;
  }
}
