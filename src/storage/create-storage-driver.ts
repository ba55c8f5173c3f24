import { LocalStorageDriver } from './local-storage.driver';
import { S3StorageDriver } from './s3-storage.driver';
import type { StorageDriver } from './storage-driver';
import type { StorageOptions } from './storage-options';
import { StorageConfigError } from './storage.errors';

/** Builds the configured driver without preparing it: call `init()` before use. Nest-free. */
export function createStorageDriver(options: StorageOptions): StorageDriver {
  switch (options.driver) {
    case 'local':
      if (!options.localRoot) {
        throw new StorageConfigError('Local storage needs a folder (STORAGE_LOCAL_DIR)');
      }
      return new LocalStorageDriver({ root: options.localRoot });
    case 's3':
      if (!options.s3) throw new StorageConfigError('S3 storage needs its s3 settings');
      return new S3StorageDriver(options.s3);
    default: {
      const driver: never = options.driver;
      throw new StorageConfigError(`Unknown storage driver ${JSON.stringify(driver)}`);
    }
  }
}

/** `createStorageDriver` + `init()`: what a worker thread calls to get a ready driver. */
export async function openStorageDriver(options: StorageOptions): Promise<StorageDriver> {
  const driver = createStorageDriver(options);
  await driver.init();
  return driver;
}
