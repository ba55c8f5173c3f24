import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { openStorageDriver } from './create-storage-driver';
import { LocalStorageDriver } from './local-storage.driver';
import { S3StorageDriver } from './s3-storage.driver';
import type { StorageDriver } from './storage-driver';
import type { StorageOptions } from './storage-options';
import { STORAGE_DRIVER, STORAGE_OPTIONS } from './storage.constants';

export interface StorageModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature
  useFactory: (...args: any[]) => StorageOptions | Promise<StorageOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Register once in the root module and inject everywhere. */
  isGlobal?: boolean;
}

/** Closes the driver's connections when the application shuts down. */
@Injectable()
class StorageShutdown implements OnApplicationShutdown {
  constructor(@Inject(STORAGE_DRIVER) private readonly driver: StorageDriver) {}

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }
}

/**
 * Provides `STORAGE_DRIVER`, initialised before the application starts (local folder created, or
 * bucket created when `createBucket`): a misconfigured storage fails the start-up, not a request.
 */
@Module({})
export class StorageModule {
  private static readonly logger = new Logger(StorageModule.name);

  static register(options: StorageOptions, extras: { isGlobal?: boolean } = {}): DynamicModule {
    return StorageModule.forRootAsync({ useFactory: () => options, isGlobal: extras.isGlobal });
  }

  static forRootAsync(options: StorageModuleAsyncOptions): DynamicModule {
    return {
      module: StorageModule,
      global: options.isGlobal ?? false,
      imports: options.imports ?? [],
      providers: [
        { provide: STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: STORAGE_DRIVER,
          useFactory: async (storageOptions: StorageOptions): Promise<StorageDriver> => {
            const driver = await openStorageDriver(storageOptions);
            StorageModule.logger.log(`Storage: ${describe(driver)}`);
            return driver;
          },
          inject: [STORAGE_OPTIONS],
        },
        StorageShutdown,
      ],
      exports: [STORAGE_DRIVER, STORAGE_OPTIONS],
    };
  }
}

function describe(driver: StorageDriver): string {
  if (driver instanceof LocalStorageDriver) return `local folder ${driver.root}`;
  if (driver instanceof S3StorageDriver) return `S3 bucket ${driver.bucket}`;
  return driver.kind;
}
