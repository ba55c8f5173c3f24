import type { LoggerService } from '@nestjs/common';
import { StorageDriver } from './storage-driver';

/**
 * Removes the stored objects a deleted job leaves behind. A failure is logged, never thrown: the
 * rows are gone already, and an object that could not be removed is only wasted space.
 */
export async function deleteStoredFiles(
  storage: StorageDriver,
  urls: string[],
  logger: LoggerService,
): Promise<void> {
  for (const url of urls) {
    try {
      await storage.delete(storage.keyFromUrl(url));
    } catch (error) {
      logger.warn(`Could not delete stored file ${url}: ${String(error)}`);
    }
  }
}
