import { AppConfig } from './app-config';

describe(AppConfig.name, () => {
  const config = (env: Record<string, string>) => AppConfig.fromEnvironment({}, env);

  it('writes info and above unless LOG_LEVEL says otherwise', () => {
    expect(config({}).logLevels).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'info' }).logLevels).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'warn' }).logLevels).toEqual(['warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'debug' }).logLevels).toEqual([
      'debug',
      'log',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('refuses an unknown LOG_LEVEL by name', () => {
    expect(() => config({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('refuses the extractor test hook in production', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-1234' };
    expect(config(production).worker.extractorOverrides).toBeUndefined();
    expect(() => config({ ...production, EXTRACTOR_OVERRIDES: '/tmp/x.js' })).toThrow(
      /EXTRACTOR_OVERRIDES is a test hook/,
    );
    expect(config({ EXTRACTOR_OVERRIDES: '/tmp/x.js' }).worker.extractorOverrides).toBe(
      '/tmp/x.js',
    );
  });

  it('fits the extractor threads into WORKER_MEMORY_BUDGET_MB, and the sync queue to them', () => {
    const budgeted = config({
      WORKER_CONCURRENCY: '8',
      EXTRACTOR_MEMORY_MB: '1024',
      WORKER_MEMORY_BUDGET_MB: '3000',
      EXTRACTOR_RECYCLE_MB: '400',
    });
    // 256 + 2 × (1024 + 256) = 2816 ≤ 3000
    expect(budgeted.worker).toMatchObject({
      concurrency: 8,
      configuredThreads: 8,
      threads: 2,
      memoryMb: 1024,
      memoryBudgetMb: 3000,
      recycleMb: 400,
    });
    expect(budgeted.sync.maxQueued).toBe(4);
    expect(() => config({ WORKER_MEMORY_BUDGET_MB: '100' })).toThrow(/WORKER_MEMORY_BUDGET_MB/);
    const unset = config({ WORKER_CONCURRENCY: '2', EXTRACTOR_MEMORY_MB: '512' }).worker;
    expect(unset.threads).toBe(2);
    expect(unset.memoryBudgetMb).toBeLessThanOrEqual(256 + 2 * (512 + 256));
    expect(unset.recycleMb).toBe(512);
  });

  it('sizes the bulk window from the worker concurrency unless set, and refuses bad limits', () => {
    expect(config({ WORKER_CONCURRENCY: '3' }).fairness).toMatchObject({
      windowPerOwner: 12,
      interactiveMaxFiles: 10,
      bulkMaxFiles: 500,
      ownerMaxActiveFiles: 5000,
      quotaRetryAfterSeconds: 30,
    });
    expect(config({ BULK_WINDOW_PER_OWNER: '7' }).fairness.windowPerOwner).toBe(7);
    expect(() => config({ BULK_WINDOW_PER_OWNER: '0' })).toThrow(/BULK_WINDOW_PER_OWNER/);
    expect(() => config({ OWNER_MAX_ACTIVE_FILES: 'many' })).toThrow(/OWNER_MAX_ACTIVE_FILES/);
  });
});

describe('TABLES_DRIVER', () => {
  const config = (env: Record<string, string>) => AppConfig.fromEnvironment({}, env);

  it('defaults to the built-in tables and accepts none', () => {
    expect(config({}).tables.driver).toBe('builtin');
    expect(config({ TABLES_DRIVER: 'none' }).tables.driver).toBe('none');
  });

  it('refuses an unknown driver by name', () => {
    expect(() => config({ TABLES_DRIVER: 'airtable' })).toThrow(/TABLES_DRIVER/);
  });
});
