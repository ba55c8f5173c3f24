/** Injection token of the configured `StorageDriver`: `@Inject(STORAGE_DRIVER) storage: StorageDriver`. */
export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');
/** Injection token of the `StorageOptions` the driver was built from. */
export const STORAGE_OPTIONS = Symbol('STORAGE_OPTIONS');
