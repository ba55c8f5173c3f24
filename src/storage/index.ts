export * from './storage-driver';
export * from './storage.errors';
export * from './storage-options';
export * from './storage.constants';
export {
  sanitizeFilename,
  buildObjectKey,
  resultObjectKey,
  ownerStoragePrefix,
  ownerSegment,
  assertValidKey,
  keyProblem,
  MAX_FILENAME_LENGTH,
  MAX_KEY_LENGTH,
  type ObjectKeyParts,
} from './object-key';
export { createStorageDriver, openStorageDriver } from './create-storage-driver';
export { LocalStorageDriver, type LocalStorageDriverOptions } from './local-storage.driver';
export {
  S3StorageDriver,
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_QUEUE_SIZE,
  type S3StorageDriverOptions,
} from './s3-storage.driver';
export { StorageModule, type StorageModuleAsyncOptions } from './storage.module';
export { deleteStoredFiles } from './delete-stored-files';
